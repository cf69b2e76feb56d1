import { DynamicModule, Module, Provider } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { AdminPermissionGuard } from './admin-permission.guard';
import { AUTH_DATA_SOURCE, AUTH_OPTIONS } from './auth.constants';
import { AUTH_ENTITIES } from './auth.entities';
import type {
  AuthModuleAsyncOptions,
  AuthModuleOptions,
  AuthOptions,
  ResolvedAuthOptions,
} from './auth-options.interface';
import { AuthUserLifecycleListener } from './auth-user-lifecycle.listener';
import { LocalAccountsService } from './local-accounts.service';
import { PasswordHasher } from './password-hasher.service';
import { SessionsService } from './sessions.service';
import { SignInThrottleService } from './sign-in-throttle.service';
import { TokenAuthenticationThrottle } from './token-authentication.throttle';
import { UserTokenAuthenticator } from './user-token.authenticator';
import { UserTokenGuard } from './user-token.guard';
import { UserTokenStrategy } from './user-token.strategy';
import { UserTokensService } from './user-tokens.service';

const THREE_DAYS_SECONDS = 3 * 24 * 3600;

export function resolveAuthOptions(options: AuthOptions = {}): ResolvedAuthOptions {
  return {
    sessionTtlSeconds: options.sessionTtlSeconds ?? THREE_DAYS_SECONDS,
    signInThrottle: {
      maxFailuresPerLogin: options.signInThrottle?.maxFailuresPerLogin ?? 10,
      maxFailuresPerAddress: options.signInThrottle?.maxFailuresPerAddress ?? 30,
      windowSeconds: options.signInThrottle?.windowSeconds ?? 300,
    },
    passwordHashing: new PasswordHasher(options.passwordHashing).parameters,
  };
}

const SERVICES = [
  LocalAccountsService,
  SessionsService,
  SignInThrottleService,
  UserTokensService,
  TokenAuthenticationThrottle,
  UserTokenAuthenticator,
];
const GUARDS = [UserTokenGuard, AdminPermissionGuard];

/**
 * Local passwords, admin-page sessions, user tokens, the user-token passport strategy and the guards. Needs the
 * identity services: pass the host's `IdentityModule.forRoot(…)` module in `imports`. Registers no global providers;
 * the guards apply where a host puts them.
 */
@Module({})
export class AuthModule {
  static forRoot(options: AuthModuleOptions = {}): DynamicModule {
    const { dataSource, imports, ...rest } = options;
    return AuthModule.build(dataSource, imports ?? [], { provide: AUTH_OPTIONS, useValue: resolveAuthOptions(rest) });
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.build(options.dataSource, options.imports ?? [], {
      provide: AUTH_OPTIONS,
      useFactory: async (...args: unknown[]) => resolveAuthOptions(await options.useFactory(...args)),
      inject: options.inject ?? [],
    });
  }

  private static build(
    dataSource: string | undefined,
    imports: NonNullable<AuthModuleOptions['imports']>,
    optionsProvider: Provider,
  ): DynamicModule {
    return {
      module: AuthModule,
      imports: [...imports, PassportModule, TypeOrmModule.forFeature(AUTH_ENTITIES, dataSource)],
      providers: [
        optionsProvider,
        { provide: AUTH_DATA_SOURCE, useExisting: getDataSourceToken(dataSource) },
        {
          provide: PasswordHasher,
          useFactory: (resolved: ResolvedAuthOptions) => new PasswordHasher(resolved.passwordHashing),
          inject: [AUTH_OPTIONS],
        },
        ...SERVICES,
        ...GUARDS,
        UserTokenStrategy,
        AuthUserLifecycleListener,
      ],
      exports: [AUTH_OPTIONS, PasswordHasher, ...SERVICES, ...GUARDS],
    };
  }
}
