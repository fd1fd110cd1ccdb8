import type { PersistenceLogger, ServiceSchema } from '@dispatch/persistence';
import { pendingChangesFor } from './pending-changes';

/**
 * Replays every schema's migrations on a scratch database of its own and reports, per schema,
 * `ok` or the SQL its entities still need. Returns whether all schemas agreed.
 */
export async function checkSchemas(
  schemas: readonly ServiceSchema[],
  adminUrl: string,
  { log, write }: { log: PersistenceLogger; write: (line: string) => void },
): Promise<boolean> {
  let clean = true;
  for (const definition of schemas) {
    const { up } = await pendingChangesFor(definition, adminUrl, log);
    if (up.length === 0) {
      write(`${definition.schema}: ok`);
      continue;
    }
    clean = false;
    write(`${definition.schema}: entities and migrations disagree; missing SQL:`);
    for (const sql of up) write(`  ${sql};`);
  }
  return clean;
}
