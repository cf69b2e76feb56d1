import { GroupMembershipEntity } from './group-membership.entity';
import { GroupPermissionEntity } from './group-permission.entity';
import { GroupEntity } from './group.entity';
import { UserPermissionEntity } from './user-permission.entity';
import { UserEntity } from './user.entity';

/** Every entity of the identity lib, for the host's TypeORM configuration and its migrations. */
export const IDENTITY_ENTITIES = [
  UserEntity,
  GroupEntity,
  GroupMembershipEntity,
  UserPermissionEntity,
  GroupPermissionEntity,
];
