export { AuthModule } from './auth.module';
export type {
  AuthModuleAsyncOptions,
  AuthModuleOptions,
  AuthOptions,
  ResolvedAuthOptions,
  ScryptParameters,
  SignInThrottleSettings,
} from './auth-options.interface';
export {
  AUTH_DATA_SOURCE,
  AUTH_OPTIONS,
  BOOTSTRAP_ADMIN_LOGIN,
  USER_TOKEN_PREFIX,
  USER_TOKEN_STRATEGY,
} from './auth.constants';
export { InjectAuthDataSource, InjectAuthOptions } from './inject-auth.decorator';

export { AUTH_ENTITIES } from './auth.entities';
export { UserPasswordEntity } from './user-password.entity';
export { UserSessionEntity } from './user-session.entity';
export { UserTokenEntity } from './user-token.entity';
export { SignInThrottleEntity } from './sign-in-throttle.entity';

export { LocalAccountsService } from './local-accounts.service';
export type { AdminBootstrapResult, CreateLocalUserInput, SignedInUser } from './local-accounts.service';
export { SessionsService } from './sessions.service';
export type { CreatedSession } from './sessions.service';
export { SignInThrottleService } from './sign-in-throttle.service';
export type { ThrottleSubject } from './sign-in-throttle.service';
export { UserTokensService } from './user-tokens.service';
export type { GeneratedUserToken, GenerateUserTokenInput, UserTokenView } from './user-tokens.service';
export { PasswordHasher, DEFAULT_SCRYPT_PARAMETERS } from './password-hasher.service';
export { generatePassword, validatePasswordStrength } from './password-policy.util';

export { UserTokenStrategy } from './user-token.strategy';
export type { TokenAuthentication } from './user-token.strategy';
export { UserTokenAuthenticator } from './user-token.authenticator';
export { TokenAuthenticationThrottle } from './token-authentication.throttle';
export { addressOf, sourceAddressKey } from './source-address';
export type { AddressedRequest } from './source-address';
export { UserTokenGuard } from './user-token.guard';
export { AdminPermissionGuard } from './admin-permission.guard';
export { AuthenticationFailure, PermissionDenied } from './auth.errors';
export type { AuthenticationFailureReason } from './auth.errors';
export {
  AUTHENTICATED_PRINCIPAL_PROPERTY,
  CurrentPrincipal,
  getAuthenticatedPrincipal,
  setAuthenticatedPrincipal,
} from './authenticated-principal';
export type { AuthenticatedPrincipal } from './authenticated-principal';
export { extractBearerToken, extractToken } from './authorization-header.parser';
export * from './auth.schema';
