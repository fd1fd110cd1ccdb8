export * from './database';
export * from './wait-for';
export * from './nats';
export * from './process';
export * from './tenant-probes';
export * from './oidc';
export * from './nats-streams';
export * from './kubernetes';
