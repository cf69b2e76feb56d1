import { In, type DataSource } from 'typeorm';
import { ScimGroupLinkEntity, ScimUserLinkEntity } from '@nest-scim/provisioning';

/** The product id of the group a SCIM id names (read from the feature's side table). */
export async function productGroupId(dataSource: DataSource, scimId: string): Promise<string> {
  return (await dataSource.manager.findOneByOrFail(ScimGroupLinkEntity, { scimId })).groupId;
}

/** The product id of the user a SCIM id names. */
export async function productUserId(dataSource: DataSource, scimId: string): Promise<string> {
  return (await dataSource.manager.findOneByOrFail(ScimUserLinkEntity, { scimId })).userId;
}

/** The product ids of the users the SCIM ids name, in the order given. */
export async function productUserIds(dataSource: DataSource, scimIds: readonly string[]): Promise<string[]> {
  const links = await dataSource.manager.findBy(ScimUserLinkEntity, { scimId: In([...scimIds]) });
  const byScimId = new Map(links.map((link) => [link.scimId, link.userId]));
  return scimIds.map((id) => byScimId.get(id)!);
}

/** Whether a product group has a SCIM side (is a SCIM group). */
export async function isGroupLinked(dataSource: DataSource, groupId: string): Promise<boolean> {
  return dataSource.manager.existsBy(ScimGroupLinkEntity, { groupId });
}
