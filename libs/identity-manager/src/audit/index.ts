import type { Provider, Type } from '@nestjs/common';
import { AuditEvent } from './audit-event.entity';
import { AuditController } from './audit.controller';
import { AUDIT_OPTIONS, auditOptionsFromEnv } from './audit-options';
import { AuditRecordedHandler } from './audit-recorded.handler';
import { AuditRetention } from './audit-retention';
import { AuditStore } from './audit.store';
import { Audit1795431356006 } from './migrations/1795431356006-audit';

/** The audit part of identity-manager: spread into the module and the identity schema. */
export const AUDIT_ENTITIES: Type<unknown>[] = [AuditEvent];
export const AUDIT_MIGRATIONS: Type<unknown>[] = [Audit1795431356006];
export const AUDIT_CONTROLLERS: Type<unknown>[] = [AuditController, AuditRecordedHandler];
export const AUDIT_PROVIDERS: Provider[] = [
  { provide: AUDIT_OPTIONS, useFactory: () => auditOptionsFromEnv(process.env) },
  AuditStore,
  AuditRetention,
];
