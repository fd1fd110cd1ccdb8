export * from './line-splitter';
export * from './proc-stat';
