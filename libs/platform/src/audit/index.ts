export * from './audit-event';
export * from './audit-queue';
export * from './audit-hook';
