import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { foldCase, GroupMembershipEntity, UsersService } from '@nest-scim/identity';
import { forUpdate } from '@nest-scim/persistence';
import type { ScimResourceData } from '@nest-scim/scim';
import { ScimGroupLinkEntity } from '../scim-group-link.entity';
import { ScimGroupProfileEntity } from '../scim-group-profile.entity';
import { ScimUserEmailEntity } from '../scim-user-email.entity';
import { ScimUserLinkEntity } from '../scim-user-link.entity';
import { ScimUserProfileEntity } from '../scim-user-profile.entity';
import {
  emailRows,
  productColumns,
  productUserFields,
  userProfileColumns,
  withProductFields,
} from '../scim-user.mapping';

/**
 * Keeps SCIM's side tables current when the product itself changes a user or group SCIM links: an admin's edit while
 * SCIM is off (the links stay, dormant), a just-in-time sign-in refreshing a name. Called by the administration
 * services inside their own transaction, after the change: what SCIM reads once switched back on is what the product
 * shows, and the resource's version (its ETag) moves, so a client holding the old one gets 412 on `If-Match`. Only
 * what SCIM shows counts: userName, name, email, active, a group's name and its SCIM members; permissions do not.
 * Users and groups SCIM does not link are left alone.
 */
@Injectable()
export class ScimSideCopies {
  constructor(private readonly users: UsersService) {}

  /** The product's login, name, email and active flag into the user's SCIM document and copies, if they differ. */
  async userChanged(m: EntityManager, userId: string): Promise<void> {
    const profile = await forUpdate(
      m.createQueryBuilder(ScimUserProfileEntity, 'p').where('p.userId = :userId', { userId }),
      m,
    ).getOne();
    if (!profile || !(await m.existsBy(ScimUserLinkEntity, { userId }))) return;
    const user = await this.users.findById(userId, m);
    if (!user) return;
    const stored = JSON.parse(profile.document) as ScimResourceData;
    stored.core.userName = profile.userName;
    stored.core.active = profile.active;
    const before = productUserFields(stored);
    const after = { login: user.login, name: user.name, email: user.email, active: user.active };
    if (
      before.login === after.login &&
      before.name === after.name &&
      before.email === after.email &&
      before.active === after.active
    ) {
      return;
    }
    const data = withProductFields(stored, after);
    await m.update(
      ScimUserProfileEntity,
      { userId },
      {
        ...productColumns(after),
        ...userProfileColumns(data),
        document: JSON.stringify(data),
        version: Number(profile.version) + 1,
        updatedAt: new Date(),
      },
    );
    await m.delete(ScimUserEmailEntity, { userId });
    const rows = emailRows(data);
    if (rows.length)
      await m.insert(
        ScimUserEmailEntity,
        rows.map((row) => ({ ...row, userId })),
      );
  }

  /** The linked groups in which the user is a SCIM-visible member (a linked user), for `membersChanged`. */
  async groupsShowing(m: EntityManager, userId: string): Promise<string[]> {
    if (!(await m.existsBy(ScimUserLinkEntity, { userId }))) return [];
    const rows = await m
      .createQueryBuilder(GroupMembershipEntity, 'gm')
      .innerJoin(ScimGroupLinkEntity, 'sg', 'sg.group_id = gm.group_id')
      .select('gm.groupId', 'group_id')
      .where('gm.userId = :userId', { userId })
      .getRawMany<{ group_id: string }>();
    return rows.map((row) => row.group_id);
  }

  /** A membership of `userId` in `groupId` came or went: the group's SCIM members changed if both are linked. */
  async memberChanged(m: EntityManager, groupId: string, userId: string): Promise<void> {
    if (await m.existsBy(ScimUserLinkEntity, { userId })) await this.touchGroups(m, [groupId]);
  }

  /** The groups' SCIM members changed (see `groupsShowing`). */
  async membersChanged(m: EntityManager, groupIds: readonly string[]): Promise<void> {
    await this.touchGroups(m, groupIds);
  }

  /** The product renamed a group: its SCIM displayName follows. */
  async groupRenamed(m: EntityManager, groupId: string, name: string): Promise<void> {
    await this.touchGroups(m, [groupId], { displayName: name, displayNameNormalized: foldCase(name) });
  }

  /** The product deleted a group: its SCIM resource goes with it (no dangling link to answer for it). */
  async groupDeleted(m: EntityManager, groupId: string): Promise<void> {
    await m.delete(ScimGroupProfileEntity, { groupId });
    await m.delete(ScimGroupLinkEntity, { groupId });
  }

  /** New version and timestamp for the linked ones among `groupIds` (a profile exists only for a linked group). */
  private async touchGroups(
    m: EntityManager,
    groupIds: readonly string[],
    changes: Partial<ScimGroupProfileEntity> = {},
  ): Promise<void> {
    if (groupIds.length === 0) return;
    await m
      .createQueryBuilder()
      .update(ScimGroupProfileEntity)
      .set({ ...changes, version: () => 'version + 1', updatedAt: new Date() })
      .where({ groupId: In([...groupIds]) })
      .execute();
  }
}
