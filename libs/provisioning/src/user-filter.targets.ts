import { createFilterTargets, FilterTargets, SCIM_URN } from '@nest-scim/scim';
import { foldedTarget, MAY_BE_UNSET, metaTimestampTargets, PRODUCT_NAME_KEY, textTarget } from './filter-target.parts';

/**
 * The allow-list of filterable User attributes and the columns they are read from, all in the feature's side tables
 * whatever the product's tables look like (aliases: `su` scim_users, `p` scim_user_profiles). Anything not here is
 * 400 invalidFilter. `sortable` ones serve `sortBy`: userName, displayName, externalId, meta.created and
 * meta.lastModified.
 */
export function userFilterTargets(emailsTable: string): FilterTargets {
  const text = textTarget;
  const folded = foldedTarget;
  return createFilterTargets(SCIM_URN.USER, [SCIM_URN.ENTERPRISE_USER], {
    id: text('su.scim_id', true),
    username: { ...folded('p.user_name', 'p.user_name_normalized'), sortable: PRODUCT_NAME_KEY },
    externalid: { ...text('p.external_id', true), sortable: MAY_BE_UNSET },
    displayname: { ...folded('p.display_name', 'p.display_name_normalized'), sortable: MAY_BE_UNSET },
    active: { kind: 'scalar', column: 'p.active', type: 'boolean', caseExact: true },
    'name.givenname': folded('p.given_name', 'p.given_name_normalized'),
    'name.familyname': folded('p.family_name', 'p.family_name_normalized'),
    emails: {
      kind: 'multi',
      table: emailsTable,
      correlate: (alias: string) => `${alias}.user_id = su.user_id`,
      defaultSubAttribute: 'value',
      subAttributes: {
        value: folded('$.value', '$.value_normalized'),
        type: folded('$.type', '$.type_normalized'),
        primary: { kind: 'scalar', column: '$.is_primary', type: 'boolean', caseExact: true },
      },
    },
    ...metaTimestampTargets('p'),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:employeenumber`]: text('p.employee_number', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager`]: text('p.manager_id', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager.value`]: text('p.manager_id', true),
    password: { kind: 'scalar', column: 'NULL', type: 'string', caseExact: true, sensitive: true },
  });
}
