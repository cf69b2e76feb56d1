import { foldCase } from '@app/identity';
import { createFilterTargets, FilterTargets, SCIM_URN } from '@app/scim';

/**
 * The allow-list of filterable User attributes and the columns they are read from, all in the feature's side tables
 * whatever the product's tables look like (aliases: `su` scim_users, `p` scim_user_profiles). Anything not here is
 * 400 invalidFilter.
 */
export function userFilterTargets(): FilterTargets {
  const text = (column: string, caseExact: boolean) => ({
    kind: 'scalar' as const,
    column,
    type: 'string' as const,
    caseExact,
  });
  return createFilterTargets(SCIM_URN.USER, [SCIM_URN.ENTERPRISE_USER], {
    id: text('su.scim_id', true),
    username: {
      kind: 'scalar',
      column: 'p.user_name',
      type: 'string',
      caseExact: false,
      normalizedColumn: 'p.user_name_normalized',
      normalize: foldCase,
    },
    externalid: text('p.external_id', true),
    displayname: text('p.display_name', false),
    active: { kind: 'scalar', column: 'p.active', type: 'boolean', caseExact: true },
    'name.givenname': text('p.given_name', false),
    'name.familyname': text('p.family_name', false),
    emails: {
      kind: 'multi',
      table: 'scim_user_emails',
      correlate: (alias: string) => `${alias}.user_id = su.user_id`,
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
        type: text('$.type', false),
        primary: { kind: 'scalar', column: '$.is_primary', type: 'boolean', caseExact: true },
      },
    },
    'meta.created': { kind: 'scalar', column: 'p.created_at', type: 'dateTime', caseExact: true },
    'meta.lastmodified': { kind: 'scalar', column: 'p.updated_at', type: 'dateTime', caseExact: true },
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:employeenumber`]: text('p.employee_number', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager`]: text('p.manager_id', true),
    [`${SCIM_URN.ENTERPRISE_USER.toLowerCase()}:manager.value`]: text('p.manager_id', true),
    password: { kind: 'scalar', column: 'NULL', type: 'string', caseExact: true, sensitive: true },
  });
}
