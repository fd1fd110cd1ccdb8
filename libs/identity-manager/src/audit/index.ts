import type { Provider, Type } from '@nestjs/common';

/** The audit part of identity-manager: spread into the module and the identity schema. */
export const AUDIT_ENTITIES: Type<unknown>[] = [];
export const AUDIT_MIGRATIONS: Type<unknown>[] = [];
export const AUDIT_CONTROLLERS: Type<unknown>[] = [];
export const AUDIT_PROVIDERS: Provider[] = [];
