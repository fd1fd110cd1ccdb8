import type { Provider, Type } from '@nestjs/common';

/** The secrets part of identity-manager: spread into the module and the identity schema. */
export const SECRETS_ENTITIES: Type<unknown>[] = [];
export const SECRETS_MIGRATIONS: Type<unknown>[] = [];
export const SECRETS_CONTROLLERS: Type<unknown>[] = [];
export const SECRETS_PROVIDERS: Provider[] = [];
