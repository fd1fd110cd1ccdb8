import { OutboxRecord, serviceSchema } from '@dispatch/persistence';
import { FunctionRecord } from '../function/function.entity';
import { FunctionSource } from '../source/function-source.entity';
import { FunctionVersion } from '../version/version.entity';
import { IdempotencyKey } from '../invoke/idempotency-key.entity';
import { Run } from '../run/run.entity';
import { Runner } from '../run/runner.entity';
import { UsageRecord } from '../usage/usage.entity';
import { FunctionManagerInit1763900000001 } from './migrations/1763900000001-init';
import { FunctionsAndRuns1795435976402 } from './migrations/1795435976402-functions-and-runs';
import { PartialUnfinishedRunIndex1795444607394 } from './migrations/1795444607394-partial-unfinished-run-index';
import { RunLeases1796542714098 } from './migrations/1796542714098-run-leases';
import { IdempotencyKeys1796676075812 } from './migrations/1796676075812-idempotency-keys';

/** function-manager's own PostgreSQL schema: its entities and the migrations that create them. */
export const FUNCTIONS_SCHEMA = serviceSchema(
  'functions',
  [OutboxRecord, FunctionRecord, FunctionVersion, FunctionSource, Run, Runner, UsageRecord, IdempotencyKey],
  [
    FunctionManagerInit1763900000001,
    FunctionsAndRuns1795435976402,
    PartialUnfinishedRunIndex1795444607394,
    RunLeases1796542714098,
    IdempotencyKeys1796676075812,
  ],
);
