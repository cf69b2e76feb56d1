import { SAML_SETTING_KEYS } from '../settings/saml-settings.constants';
import { mapSamlAttributes } from './saml-attributes.mapper';

const NAMES = { userLogin: 'login', userName: 'name', userEmail: 'email', groupName: 'groups' };

describe('mapSamlAttributes', () => {
  it('picks the first non-blank value of each single-valued attribute, and every distinct group', () => {
    const mapped = mapSamlAttributes(NAMES, [
      { name: 'login', values: ['  ', 'alice@contoso.com', 'other'] },
      { name: 'name', values: ['Alice'] },
      { name: 'email', values: ['alice@contoso.com'] },
      { name: 'groups', values: ['devs', ' devs ', '', 'ops'] },
    ]);
    expect(mapped).toMatchObject({
      login: 'alice@contoso.com',
      name: 'Alice',
      email: 'alice@contoso.com',
      groups: ['devs', 'ops'],
      errors: [],
    });
    expect(mapped.warnings).toEqual([
      "The login attribute login has several values: the first one, 'alice@contoso.com', is used.",
    ]);
  });

  it("words a missing or empty login and name as the product's status check does", () => {
    const mapped = mapSamlAttributes(NAMES, [{ name: 'name', values: [''] }]);
    expect(mapped.login).toBeNull();
    expect(mapped.errors).toEqual([
      `Mapping not found for the property ${SAML_SETTING_KEYS.userLogin}, the field login is not available in the SAML response.`,
      `Mapping found for the property ${SAML_SETTING_KEYS.userName}, but the field name is empty in the SAML response.`,
    ]);
  });

  it('only warns about email and groups, which a sign-in can do without', () => {
    const present = [
      { name: 'login', values: ['a'] },
      { name: 'name', values: ['A'] },
    ];
    expect(mapSamlAttributes(NAMES, present).warnings).toEqual([
      `Mapping not found for the property ${SAML_SETTING_KEYS.userEmail}, the field email is not available in the SAML response.`,
      `Mapping not found for the property ${SAML_SETTING_KEYS.groupName}, the field groups is not available in the SAML response.`,
    ]);
    const unconfigured = mapSamlAttributes({ ...NAMES, userEmail: null, groupName: null }, present);
    expect(unconfigured.warnings).toEqual([
      'No email attribute is configured: accounts signing in through SAML get no email address.',
    ]);
    expect(unconfigured.mapped.email).toBeNull();
    expect(unconfigured.mapped.groups).toBeNull();
  });

  it('matches attribute names exactly: claim URIs are case-sensitive', () => {
    expect(mapSamlAttributes(NAMES, [{ name: 'LOGIN', values: ['a'] }]).login).toBeNull();
  });
});
