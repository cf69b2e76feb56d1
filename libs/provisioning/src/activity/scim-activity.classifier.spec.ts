import { classifyScimRequest, failureCause, pathUnderBase } from './scim-activity.classifier';

const ID = '2819c223-7f76-453a-919d-413861904646';
const patch = (...Operations: unknown[]) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
  Operations,
});

describe('reading a SCIM request for the activity records', () => {
  it('finds the path under the base path, behind a global prefix too, and nothing elsewhere', () => {
    expect(pathUnderBase('/api/scim/v2', '/api/scim/v2/Users')).toBe('/Users');
    expect(pathUnderBase('/api/scim/v2', '/host/api/scim/v2/Groups/x')).toBe('/Groups/x');
    expect(pathUnderBase('/api/scim/v2', '/api/scim/v2')).toBe('');
    expect(pathUnderBase('/api/scim/v2', '/api/users/search')).toBeUndefined();
    expect(pathUnderBase('/api/scim/v2', '/api/scim/v20/Users')).toBeUndefined();
  });

  it("names Entra's requests by route template and what they did", () => {
    expect(classifyScimRequest('GET', '/Users', undefined, true)).toMatchObject({
      route: '/Users',
      resourceType: 'User',
      operation: 'lookup',
      subject: null,
    });
    expect(classifyScimRequest('GET', '/Groups', undefined, false)).toMatchObject({ operation: 'list' });
    expect(
      classifyScimRequest('POST', '/Users', { userName: 'alice@contoso.example', emails: [{ value: 'a@x.y' }] }, false),
    ).toEqual({
      route: '/Users',
      resourceType: 'User',
      resourceId: null,
      subject: 'alice@contoso.example',
      operation: 'create',
      memberChanges: 0,
    });
    expect(
      classifyScimRequest('PATCH', `/Users/${ID}`, patch({ op: 'Replace', path: 'active', value: 'False' }), false),
    ).toMatchObject({ route: '/Users/{id}', resourceId: ID, operation: 'deactivate' });
    expect(
      classifyScimRequest('PATCH', `/Users/${ID}`, patch({ op: 'replace', value: { active: true } }), false),
    ).toMatchObject({ operation: 'reactivate' });
    expect(
      classifyScimRequest('PATCH', `/Users/${ID}`, patch({ op: 'replace', path: 'userName', value: 'new@x.y' }), false),
    ).toMatchObject({ operation: 'update', subject: 'new@x.y' });
    expect(
      classifyScimRequest(
        'PATCH',
        `/Groups/${ID}`,
        patch(
          { op: 'Add', path: 'members', value: [{ value: 'a' }, { value: 'b' }] },
          { op: 'Remove', path: 'members[value eq "c"]' },
        ),
        false,
      ),
    ).toMatchObject({ route: '/Groups/{id}', resourceType: 'Group', operation: 'members', memberChanges: 3 });
    expect(
      classifyScimRequest(
        'PATCH',
        `/Groups/${ID}`,
        patch({ op: 'Replace', path: 'displayName', value: 'Devs' }, { op: 'Add', path: 'members', value: [{}] }),
        false,
      ),
    ).toMatchObject({ operation: 'update', subject: 'Devs', memberChanges: 1 });
    expect(classifyScimRequest('PUT', `/Users/${ID}`, { userName: 'a', active: false }, false)).toMatchObject({
      operation: 'deactivate',
    });
    expect(classifyScimRequest('DELETE', `/Groups/${ID}`, undefined, false)).toMatchObject({ operation: 'delete' });
    expect(classifyScimRequest('POST', '/Users/.search', {}, false)).toMatchObject({ route: '/Users/.search' });
    expect(classifyScimRequest('GET', '/Schemas/urn:x', undefined, false)).toMatchObject({
      route: '/Schemas/{id}',
      operation: 'discovery',
    });
    expect(classifyScimRequest('POST', '/Bulk', {}, false)).toMatchObject({ route: '/Bulk' });
  });

  it('keeps no id that is not shaped like one of ours, and no unknown route as sent', () => {
    expect(classifyScimRequest('GET', '/Users/squ_0123456789abcdef', undefined, false)).toMatchObject({
      route: '/Users/{id}',
      resourceId: null,
    });
    expect(classifyScimRequest('GET', '/Secrets/squ_0123456789abcdef', undefined, false)).toMatchObject({
      route: '(other)',
      resourceId: null,
      resourceType: null,
    });
  });

  it('gives each failure a cause an admin can act on', () => {
    expect(failureCause(201, null, null, '/Users')).toBeNull();
    expect(failureCause(401, null, 'Token is invalid', '/Users')).toBe('credentials');
    expect(failureCause(403, null, "This feature requires the 'scim' feature", '/Users')).toBe('license');
    expect(failureCause(403, null, 'SCIM provisioning is not enabled: an administrator must …', '/Users')).toBe('mode');
    expect(failureCause(403, null, 'Insufficient privileges', '/Users')).toBe('permission');
    expect(failureCause(409, 'uniqueness', 'This userName belongs to a local account of the product', '/Users')).toBe(
      'local-account',
    );
    expect(failureCause(409, 'uniqueness', 'A group with this displayName already exists', '/Groups')).toBe(
      'group-name-taken',
    );
    expect(failureCause(400, 'invalidFilter', 'The filter is not supported', '/Users')).toBe('filter');
    expect(failureCause(400, 'invalidValue', 'x', '/Users')).toBe('invalid-request');
    expect(failureCause(404, null, null, '/Users/{id}')).toBe('unknown-id');
    expect(failureCause(404, null, null, '(other)')).toBe('unknown-route');
    expect(failureCause(503, null, null, '/Users')).toBe('unavailable');
  });
});
