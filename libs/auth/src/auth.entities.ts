import { SignInThrottleEntity } from './sign-in-throttle.entity';
import { UserPasswordEntity } from './user-password.entity';
import { UserSessionEntity } from './user-session.entity';
import { UserTokenEntity } from './user-token.entity';

/** Every entity of the auth lib (they reference the identity lib's `users`). */
export const AUTH_ENTITIES = [UserPasswordEntity, UserSessionEntity, UserTokenEntity, SignInThrottleEntity];
