export * from './bus';
export { type BusLog, consoleBusLog } from './bus-log';
export { subjectMatches } from './subject-match';
export { durableName } from './durable-name';
export { NatsBus, type NatsBusOptions } from './nats/nats-bus';
export { DEFAULT_STREAMS, type StreamDefinition } from './nats/streams';
export { InProcessBus, type InProcessBusOptions } from './in-process/in-process-bus';
export { BUS_SCHEMA, BusDeadReason1796700000000, BusInit1732350000000, busMigrations } from './in-process/migration';
export { WakeableSleep, type WakeableSleepOptions } from './wake-sleep';
