import { GROUP_RESOURCE_TYPE, USER_RESOURCE_TYPE } from '../schema/resource-types';
import { SCIM_URN } from '../schema/scim.urns';
import { stripEmptyValues } from './empty-value.stripper';
import { renderResource } from './resource.renderer';

describe('renderResource', () => {
  it('lists the extension schema only when the extension has values', () => {
    const meta = { resourceType: 'User', location: 'https://h/Users/u1' };
    expect(
      renderResource({ core: { userName: 'a' }, extensions: {} }, USER_RESOURCE_TYPE, { id: 'u1', meta }),
    ).toStrictEqual({
      schemas: [SCIM_URN.USER],
      id: 'u1',
      userName: 'a',
      meta,
    });
    const withExtension = renderResource(
      { core: { userName: 'a' }, extensions: { [SCIM_URN.ENTERPRISE_USER]: { department: 'D' } } },
      USER_RESOURCE_TYPE,
      { id: 'u1', meta },
    );
    expect(withExtension.schemas).toEqual([SCIM_URN.USER, SCIM_URN.ENTERPRISE_USER]);
    expect(withExtension[SCIM_URN.ENTERPRISE_USER]).toEqual({ department: 'D' });
  });

  it('keeps an empty members list and emits no nulls', () => {
    const rendered = renderResource({ core: { displayName: 'g', members: [] }, extensions: {} }, GROUP_RESOURCE_TYPE, {
      id: 'g1',
      meta: { resourceType: 'Group', created: undefined },
    });
    expect(rendered).toStrictEqual({
      schemas: [SCIM_URN.GROUP],
      id: 'g1',
      displayName: 'g',
      members: [],
      meta: { resourceType: 'Group' },
    });
  });
});

describe('stripEmptyValues', () => {
  it('removes nulls and empty objects, keeps empty lists, renders dates', () => {
    expect(
      stripEmptyValues({
        a: null,
        b: { c: null },
        d: [null, 1],
        e: [],
        f: new Date('2024-01-01T00:00:00Z'),
        g: { h: '' },
      }),
    ).toStrictEqual({ d: [1], e: [], f: '2024-01-01T00:00:00.000Z', g: { h: '' } });
    expect(stripEmptyValues(null)).toBeUndefined();
  });
});
