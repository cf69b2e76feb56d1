import { Injectable } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { escapeLike, LIKE_ESCAPE } from '@nest-scim/persistence';
import {
  foldCase,
  GlobalPermission,
  GroupEntity,
  GroupPermissionEntity,
  InjectIdentityDataSource,
  Page,
  UserEntity,
  UserPermissionEntity,
} from '@nest-scim/identity';
import { pageQuery } from '../query-paging';

export interface HolderSearch {
  query?: string;
  permission?: GlobalPermission;
  page: number;
  pageSize: number;
}

export interface UserHolder {
  user: UserEntity;
  permissions: GlobalPermission[];
  managed: boolean;
}

export interface GroupHolder {
  group: GroupEntity;
  permissions: GlobalPermission[];
  managed: boolean;
}

/**
 * The product's `api/permissions/users` and `api/permissions/groups` for global permissions: who holds what directly.
 * Without a text query only holders of at least one permission are listed; with one, every match, holder or not.
 */
@Injectable()
export class PermissionHoldersService {
  constructor(@InjectIdentityDataSource() private readonly dataSource: DataSource) {}

  async users(search: HolderSearch): Promise<Page<UserHolder>> {
    const m = this.dataSource.manager;
    const qb = m.createQueryBuilder(UserEntity, 'u').where('u.active = :active', { active: true });
    if (search.query) {
      qb.andWhere(
        `(u.loginNormalized LIKE :folded ESCAPE '${LIKE_ESCAPE}' OR LOWER(u.name) LIKE :lowered ESCAPE '${LIKE_ESCAPE}'
          OR LOWER(u.email) LIKE :lowered ESCAPE '${LIKE_ESCAPE}')`,
        {
          folded: `%${escapeLike(foldCase(search.query))}%`,
          lowered: `%${escapeLike(search.query.toLowerCase())}%`,
        },
      );
    }
    if (search.permission || !search.query) {
      const only = search.permission ? 'AND up.permission = :permission' : '';
      qb.andWhere(`EXISTS (SELECT 1 FROM user_permissions up WHERE up.user_id = u.id ${only})`, {
        permission: search.permission,
      });
    }
    const { total, query } = await pageQuery(qb, 'u.loginNormalized', search);
    const users = await query.getMany();
    const ids = users.map((u) => u.id);
    const grants = ids.length
      ? await m.createQueryBuilder(UserPermissionEntity, 'up').where('up.userId IN (:...ids)', { ids }).getMany()
      : [];
    const items = users.map((user) => ({
      user,
      permissions: grants
        .filter((g) => g.userId === user.id)
        .map((g) => g.permission)
        .sort(),
      managed: user.managed,
    }));
    return { items, total, page: search.page, pageSize: search.pageSize };
  }

  async groups(search: HolderSearch): Promise<Page<GroupHolder>> {
    const m = this.dataSource.manager;
    const qb = m.createQueryBuilder(GroupEntity, 'g');
    if (search.query) {
      qb.andWhere(`g.nameNormalized LIKE :query ESCAPE '${LIKE_ESCAPE}'`, {
        query: `%${escapeLike(foldCase(search.query))}%`,
      });
    }
    if (search.permission || !search.query) {
      const only = search.permission ? 'AND gp.permission = :permission' : '';
      qb.andWhere(`EXISTS (SELECT 1 FROM group_permissions gp WHERE gp.group_id = g.id ${only})`, {
        permission: search.permission,
      });
    }
    const { total, query } = await pageQuery(qb, 'g.nameNormalized', search);
    const groups = await query.getMany();
    const ids = groups.map((g) => g.id);
    const grants = ids.length
      ? await m.createQueryBuilder(GroupPermissionEntity, 'gp').where('gp.groupId IN (:...ids)', { ids }).getMany()
      : [];
    const items = groups.map((group) => ({
      group,
      permissions: grants
        .filter((g) => g.groupId === group.id)
        .map((g) => g.permission)
        .sort(),
      managed: group.managed,
    }));
    return { items, total, page: search.page, pageSize: search.pageSize };
  }
}
