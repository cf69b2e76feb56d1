import { SCIM_URN } from '../schema/scim.urns';
import { listResponse } from './list-response.builder';

describe('listResponse (RFC 7644 §3.4.2)', () => {
  it('answers an empty query with Resources: []', () => {
    expect(listResponse([], 0, 1)).toStrictEqual({
      schemas: [SCIM_URN.LIST_RESPONSE],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('reports the page size as itemsPerPage and the full match count as totalResults', () => {
    const page = listResponse([{ id: 'a' }, { id: 'b' }], 5, 3);
    expect(page).toMatchObject({
      totalResults: 5,
      startIndex: 3,
      itemsPerPage: 2,
      Resources: [{ id: 'a' }, { id: 'b' }],
    });
    expect(Object.keys(page)).toEqual(['schemas', 'totalResults', 'startIndex', 'itemsPerPage', 'Resources']);
  });
});
