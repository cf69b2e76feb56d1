import type { ExternalProvider, UserEntity } from './user.entity';

/** A user as services return it: no normalised keys, plus whether the identity provider manages it. */
export interface UserView {
  id: string;
  login: string;
  name: string;
  email: string | null;
  active: boolean;
  /** Signs in with a password (local) rather than through SAML (external). */
  local: boolean;
  externalLogin: string | null;
  externalProvider: ExternalProvider | null;
  /** The identity provider owns it (provisioned through the directory adapter). */
  managed: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function toUserView(user: UserEntity): UserView {
  return {
    id: user.id,
    login: user.login,
    name: user.name,
    email: user.email,
    active: user.active,
    local: user.local,
    externalLogin: user.externalLogin,
    externalProvider: user.externalProvider,
    managed: user.managed,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}
