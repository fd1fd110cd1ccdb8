export * from './errors';
export * from './status';
export * from './entity';
export * from './subjects';
export * from './pagination';
export * from './version';
export * from './auth';
