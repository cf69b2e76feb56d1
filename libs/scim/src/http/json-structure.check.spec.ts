import { checkJsonStructure } from './json-structure.check';

describe('checkJsonStructure', () => {
  it('passes the bodies Entra sends', () => {
    expect(
      checkJsonStructure(
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"a"},{"value":"b"}]}]}',
      ),
    ).toBeUndefined();
    expect(checkJsonStructure('{"a":{"a":{"a":1}},"b":"{\\"a\\":1,\\"a\\":2}"}')).toBeUndefined();
  });

  it('finds a key given twice in one object, however it is escaped', () => {
    expect(checkJsonStructure('{"userName":"x","userName":"admin"}')).toMatch(/same attribute twice/);
    expect(checkJsonStructure('{"a":1,"\\u0061":2}')).toMatch(/same attribute twice/);
    expect(checkJsonStructure('{"x":[{"a":1},{"a":2}],"y":{"a":1,"b":{"a":2}}}')).toBeUndefined();
  });

  it('refuses nesting beyond the limit, in one pass over a large body', () => {
    expect(checkJsonStructure('['.repeat(10000) + ']'.repeat(10000))).toMatch(/nested deeper than 64/);
    expect(checkJsonStructure('{"a":'.repeat(65) + '1' + '}'.repeat(65))).toMatch(/nested deeper/);
    expect(checkJsonStructure('{"a":'.repeat(63) + '1' + '}'.repeat(63))).toBeUndefined();
  });
});
