export * from './line-splitter';
export * from './proc-stat';
export * from './generated-file';
export * from './in-memory-connection';
