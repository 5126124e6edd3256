import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthGuard } from './auth.guard';
import { AUTH_OPTIONS, TokenVerifier, type AuthOptions } from './token-verifier';

@Module({})
export class AuthModule {
  /** Installs the global AuthGuard; `options` usually come from the service config. */
  static forRootAsync(options: {
    inject: unknown[];
    useFactory: (...args: never[]) => AuthOptions;
  }): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_OPTIONS, inject: options.inject as never[], useFactory: options.useFactory },
        {
          provide: TokenVerifier,
          inject: [AUTH_OPTIONS],
          useFactory: (o: AuthOptions) => new TokenVerifier(o),
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [TokenVerifier],
    };
  }
}
