import { randomUUID } from 'node:crypto';
import { Run } from '../run.entity';

/** A finished run of `acme`'s function `hello`, with `fields` instead of the defaults. */
export const runOf = (fields: Partial<Run> = {}): Run =>
  Object.assign(new Run(), {
    id: randomUUID(),
    org: 'acme',
    functionName: 'hello',
    functionId: randomUUID(),
    version: 1,
    status: 'SUCCEEDED',
    blocking: true,
    input: { n: 1 },
    output: 'plain string output',
    error: null,
    logs: { stdout: ['a'], stderr: [] },
    secrets: [],
    trigger: { kind: 'api', id: 'req-1' },
    memoryMb: 256,
    createdTime: new Date(),
    startedTime: new Date(),
    finishedTime: new Date(),
    deadline: new Date(Date.now() + 60_000),
    runnerId: null,
    ...fields,
  });
