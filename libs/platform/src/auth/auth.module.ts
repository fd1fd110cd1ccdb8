import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTHENTICATOR } from './guard/authenticator';
import { AuthGuard } from './guard/auth.guard';
import { AUTH_OPTIONS, IdentitySnapshot, type AuthOptions } from './guard/identity-snapshot';
import { TokenAuthenticator } from './guard/token-authenticator';

/** Authentication and authorization of every `/v1` route of the app that imports it. */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    return {
      module: AuthModule,
      providers: [
        { provide: AUTH_OPTIONS, useValue: options },
        IdentitySnapshot,
        { provide: AUTHENTICATOR, useClass: TokenAuthenticator },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [IdentitySnapshot, AUTHENTICATOR],
    };
  }
}
