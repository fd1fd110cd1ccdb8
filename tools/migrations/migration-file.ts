/** Source of a TypeORM migration class running `up` and `down` statement by statement. */
export function renderMigration(className: string, up: readonly string[], down: readonly string[]): string {
  const body = (queries: readonly string[]) =>
    queries.map((q) => `    await queryRunner.query(${JSON.stringify(q)});`).join('\n') || '    // nothing to undo';
  return `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  async up(queryRunner: QueryRunner): Promise<void> {
${body(up)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${body(down)}
  }
}
`;
}
