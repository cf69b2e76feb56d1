import { EntityManager, In } from 'typeorm';
import { ScimGroupLinkEntity } from './scim-group-link.entity';
import { ScimUserLinkEntity } from './scim-user-link.entity';

/** Which of the given users are linked to a SCIM resource: one indexed query per page of results. */
export async function managedUserIds(m: EntityManager, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const links = await m.find(ScimUserLinkEntity, { select: { userId: true }, where: { userId: In(userIds) } });
  return new Set(links.map((l) => l.userId));
}

/** Which of the given groups are linked to a SCIM resource. */
export async function managedGroupIds(m: EntityManager, groupIds: string[]): Promise<Set<string>> {
  if (groupIds.length === 0) return new Set();
  const links = await m.find(ScimGroupLinkEntity, { select: { groupId: true }, where: { groupId: In(groupIds) } });
  return new Set(links.map((l) => l.groupId));
}
