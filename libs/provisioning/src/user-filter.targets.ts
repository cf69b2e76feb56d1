import { foldCase } from '@app/identity';
import { createFilterTargets, FilterTargets, SCIM_URN } from '@app/scim';

/** Sortable on a column that always holds a value (indexed), or on one that may be NULL (unassigned sorts last). */
export const ALWAYS_SET = { alwaysSet: true } as const;
export const MAY_BE_UNSET = { alwaysSet: false } as const;
/**
 * A folded login or group name: the product refuses control characters and edge whitespace in both (before and after
 * NFKC), so the indexed column's own order is the same on both databases.
 */
export const PRODUCT_NAME_KEY = { alwaysSet: true, byColumn: true } as const;

/**
 * The allow-list of filterable User attributes and the columns they are read from (aliases: `su` scim_users,
 * `u` users, `p` scim_user_profiles). Anything not here is 400 invalidFilter. `sortable` ones serve `sortBy`: userName,
 * displayName, externalId, meta.created and meta.lastModified.
 */
export function userFilterTargets(): FilterTargets {
  const text = (column: string, caseExact: boolean) => ({
    kind: 'scalar' as const,
    column,
    type: 'string' as const,
    caseExact,
  });
  /** A case-insensitive attribute, compared (and sorted) on its case-folded copy. */
  const folded = (column: string, normalizedColumn: string) => ({
    ...text(column, false),
    normalizedColumn,
    normalize: foldCase,
  });
  return createFilterTargets(SCIM_URN.USER, [SCIM_URN.ENTERPRISE_USER], {
    id: text('su.scim_id', true),
    username: {
      kind: 'scalar',
      column: 'u.login',
      type: 'string',
      caseExact: false,
      normalizedColumn: 'u.login_normalized',
      normalize: foldCase,
      sortable: PRODUCT_NAME_KEY,
    },
    externalid: { ...text('p.external_id', true), sortable: MAY_BE_UNSET },
    displayname: { ...folded('p.display_name', 'p.display_name_normalized'), sortable: MAY_BE_UNSET },
    active: { kind: 'scalar', column: 'u.active', type: 'boolean', caseExact: true },
    'name.givenname': folded('p.given_name', 'p.given_name_normalized'),
    'name.familyname': folded('p.family_name', 'p.family_name_normalized'),
    emails: {
      kind: 'multi',
      table: 'scim_user_emails',
      correlate: (alias: string) => `${alias}.user_id = u.id`,
      defaultSubAttribute: 'value',
      subAttributes: {
        value: {
          kind: 'scalar',
          column: '$.value',
          type: 'string',
          caseExact: false,
          normalizedColumn: '$.value_normalized',
          normalize: foldCase,
        },
        type: folded('$.type', '$.type_normalized'),
        primary: { kind: 'scalar', column: '$.is_primary', type: 'boolean', caseExact: true },
      },
    },
    'meta.created': { kind: 'scalar', column: 'p.created_at', type: 'dateTime', caseExact: true, sortable: ALWAYS_SET },
    'meta.lastmodified': {
      kind: 'scalar',
      column: 'p.updated_at',
      type: 'dateTime',
      caseExact: true,
      sortable: ALWAYS_SET,
    },
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:employeenumber`]: text('p.employee_number', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager`]: text('p.manager_id', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager.value`]: text('p.manager_id', true),
    password: { kind: 'scalar', column: 'NULL', type: 'string', caseExact: true, sensitive: true },
  });
}
