import { createFilterTargets, FilterTargets, SCIM_URN } from '@nest-scim/scim';
import type { DirectoryMembershipTable } from './directory/scim-directory.port';
import { foldedTarget, MAY_BE_UNSET, metaTimestampTargets, PRODUCT_NAME_KEY, textTarget } from './filter-target.parts';

/**
 * The allow-list of filterable Group attributes (aliases: `sg` scim_groups, `p` scim_group_profiles): every one is
 * read from the feature's side tables, except `members`, which reads the product's memberships through the table the
 * directory names (its identifiers given escaped). Sortable: displayName, externalId, meta.created and
 * meta.lastModified. `members eq "<user id>"` is Entra's membership check: an indexed EXISTS, never
 * a member scan.
 */
export function groupFilterTargets(membership: DirectoryMembershipTable, scimUsersTable: string): FilterTargets {
  const text = textTarget;
  return createFilterTargets(SCIM_URN.GROUP, [], {
    id: text('sg.scim_id', true),
    displayname: { ...foldedTarget('p.display_name', 'p.display_name_normalized'), sortable: PRODUCT_NAME_KEY },
    externalid: { ...text('p.external_id', true), sortable: MAY_BE_UNSET },
    members: {
      kind: 'multi',
      table: `(SELECT gm.${membership.groupColumn} AS group_id, msu.scim_id AS value FROM ${membership.table} gm INNER JOIN ${scimUsersTable} msu ON msu.user_id = gm.${membership.userColumn})`,
      correlate: (alias: string) => `${alias}.group_id = sg.group_id`,
      defaultSubAttribute: 'value',
      subAttributes: { value: text('$.value', true) },
    },
    ...metaTimestampTargets('p'),
  });
}
