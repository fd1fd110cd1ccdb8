/** Any class: entity classes and migration classes are registered by constructor. */
export type Constructor = abstract new (...args: never[]) => unknown;

/** What a service owns in PostgreSQL: its schema, the entities mapped in it, and the migrations that build it. */
export interface ServiceSchema {
  schema: string;
  entities: Constructor[];
  migrations: Constructor[];
}

export function serviceSchema(schema: string, entities: Constructor[] = [], migrations: Constructor[] = []): ServiceSchema {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error(`schema name "${schema}" must be a lower-case SQL identifier (letters, digits, underscores)`);
  }
  return { schema, entities: [...entities], migrations: [...migrations] };
}
