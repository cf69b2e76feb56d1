import { returnPathOf } from './saml-sign-in.service';

describe('returnPathOf', () => {
  it.each([
    ['/', '/'],
    ['/projects?id=1', '/projects?id=1'],
    ['//evil.example', null],
    ['/\\evil.example', null],
    ['https://evil.example/', null],
    ['validation-query', null],
    ['/a\nb', null],
    [`/${'a'.repeat(80)}`, null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(returnPathOf(value)).toBe(expected);
  });
});
