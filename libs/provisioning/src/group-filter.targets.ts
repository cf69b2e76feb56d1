import { createFilterTargets, FilterTargets, SCIM_URN } from '@app/scim';
import { foldedTarget, MAY_BE_UNSET, metaTimestampTargets, PRODUCT_NAME_KEY, textTarget } from './filter-target.parts';

/**
 * The allow-list of filterable Group attributes (aliases: `sg` scim_groups, `g` user_groups, `p` scim_group_profiles).
 * Sortable: displayName, externalId, meta.created and meta.lastModified.
 * `members eq "<user id>"` is Entra's membership check (entra-client 61): an indexed EXISTS, never a member scan.
 */
export function groupFilterTargets(): FilterTargets {
  const text = textTarget;
  return createFilterTargets(SCIM_URN.GROUP, [], {
    id: text('sg.scim_id', true),
    displayname: { ...foldedTarget('g.name', 'g.name_normalized'), sortable: PRODUCT_NAME_KEY },
    externalid: { ...text('p.external_id', true), sortable: MAY_BE_UNSET },
    members: {
      kind: 'multi',
      table:
        '(SELECT gm.group_id AS group_id, msu.scim_id AS value FROM group_members gm INNER JOIN scim_users msu ON msu.user_id = gm.user_id)',
      correlate: (alias: string) => `${alias}.group_id = g.id`,
      defaultSubAttribute: 'value',
      subAttributes: { value: text('$.value', true) },
    },
    ...metaTimestampTargets('p'),
  });
}
