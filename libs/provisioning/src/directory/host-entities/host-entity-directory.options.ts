import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import type { DirectoryGroup, DirectoryUser } from '../scim-directory.port';

/** Names of properties of an entity class (TypeORM property names, not column names). */
type PropertyOf<T> = Extract<keyof T, string>;

/**
 * How the kit finds a product's people, groups and memberships in the product's own TypeORM entities. Every name is
 * an entity property; the kit reads the columns, their lengths and the primary keys from TypeORM's metadata.
 */
export interface HostEntityDirectoryOptions<
  User extends ObjectLiteral = ObjectLiteral,
  Group extends ObjectLiteral = ObjectLiteral,
  Membership extends ObjectLiteral = ObjectLiteral,
> {
  user: {
    entity: EntityTarget<User>;
    /** The sign-in name; SCIM `userName` is written here. */
    login: PropertyOf<User>;
    displayName: PropertyOf<User>;
    /** The main email; nullable unless the column is not. */
    email: PropertyOf<User>;
    /** A boolean: false when the identity provider disabled the person. */
    active: PropertyOf<User>;
  };
  group: {
    entity: EntityTarget<Group>;
    name: PropertyOf<Group>;
  };
  membership: {
    entity: EntityTarget<Membership>;
    /** The property holding the group's primary key. */
    group: PropertyOf<Membership>;
    /** The property holding the user's primary key. */
    user: PropertyOf<Membership>;
  };
  /**
   * What SCIM DELETE does to the product's row: `deactivate` (the default) keeps the person, inactive and in no group;
   * `remove` deletes the row after its memberships.
   */
  userDeletion?: 'deactivate' | 'remove';
  /**
   * Whether the identity provider may take over a person the product already had (same login, compared
   * case-insensitively) when it creates a user. Refused unless this says yes: an account with other ways in (a
   * password, administrator rights) must never pass to the identity provider.
   */
  mayAdopt?: (m: EntityManager, person: DirectoryUser) => boolean | Promise<boolean>;
  /**
   * Whether the identity provider may take over a group the product already had (same name, compared
   * case-insensitively) when it creates a group. Refused unless this says yes: the product's own groups (those that
   * grant rights, say) must not pass to the identity provider unasked.
   */
  mayAdoptGroup?: (m: EntityManager, group: DirectoryGroup) => boolean | Promise<boolean>;
  /** A new primary key for a user or group row whose key the database does not generate. */
  newId?: () => string;
}
