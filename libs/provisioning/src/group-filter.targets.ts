import { foldCase } from '@app/identity';
import { createFilterTargets, FilterTargets, SCIM_URN } from '@app/scim';
import type { DirectoryMembershipTable } from './directory/scim-directory.port';

/**
 * The allow-list of filterable Group attributes (aliases: `sg` scim_groups, `p` scim_group_profiles): every one is
 * read from the feature's side tables, except `members`, which reads the product's memberships through the table the
 * directory names (its identifiers given escaped). `members eq "<user id>"` is Entra's membership check
 * (entra-client 61): an indexed EXISTS, never a member scan.
 */
export function groupFilterTargets(membership: DirectoryMembershipTable): FilterTargets {
  const text = (column: string, caseExact: boolean) => ({
    kind: 'scalar' as const,
    column,
    type: 'string' as const,
    caseExact,
  });
  return createFilterTargets(SCIM_URN.GROUP, [], {
    id: text('sg.scim_id', true),
    displayname: {
      kind: 'scalar',
      column: 'p.display_name',
      type: 'string',
      caseExact: false,
      normalizedColumn: 'p.display_name_normalized',
      normalize: foldCase,
    },
    externalid: text('p.external_id', true),
    members: {
      kind: 'multi',
      table: `(SELECT gm.${membership.groupColumn} AS group_id, msu.scim_id AS value FROM ${membership.table} gm INNER JOIN scim_users msu ON msu.user_id = gm.${membership.userColumn})`,
      correlate: (alias: string) => `${alias}.group_id = sg.group_id`,
      defaultSubAttribute: 'value',
      subAttributes: { value: text('$.value', true) },
    },
    'meta.created': { kind: 'scalar', column: 'p.created_at', type: 'dateTime', caseExact: true },
    'meta.lastmodified': { kind: 'scalar', column: 'p.updated_at', type: 'dateTime', caseExact: true },
  });
}
