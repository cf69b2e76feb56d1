import { foldCase } from '@app/identity';
import { createFilterTargets, FilterTargets, SCIM_URN } from '@app/scim';
import { ALWAYS_SET, MAY_BE_UNSET, PRODUCT_NAME_KEY } from './user-filter.targets';

/**
 * The allow-list of filterable Group attributes (aliases: `sg` scim_groups, `g` user_groups, `p` scim_group_profiles).
 * Sortable: displayName, externalId, meta.created and meta.lastModified.
 * `members eq "<user id>"` is Entra's membership check (entra-client 61): an indexed EXISTS, never a member scan.
 */
export function groupFilterTargets(): FilterTargets {
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
      column: 'g.name',
      type: 'string',
      caseExact: false,
      normalizedColumn: 'g.name_normalized',
      normalize: foldCase,
      sortable: PRODUCT_NAME_KEY,
    },
    externalid: { ...text('p.external_id', true), sortable: MAY_BE_UNSET },
    members: {
      kind: 'multi',
      table:
        '(SELECT gm.group_id AS group_id, msu.scim_id AS value FROM group_members gm INNER JOIN scim_users msu ON msu.user_id = gm.user_id)',
      correlate: (alias: string) => `${alias}.group_id = g.id`,
      defaultSubAttribute: 'value',
      subAttributes: { value: text('$.value', true) },
    },
    'meta.created': { kind: 'scalar', column: 'p.created_at', type: 'dateTime', caseExact: true, sortable: ALWAYS_SET },
    'meta.lastmodified': {
      kind: 'scalar',
      column: 'p.updated_at',
      type: 'dateTime',
      caseExact: true,
      sortable: ALWAYS_SET,
    },
  });
}
