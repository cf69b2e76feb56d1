import { mailableEmail } from './user-rows';

describe('mailableEmail', () => {
  it('keeps what the product can mail', () => {
    expect(mailableEmail('alice@contoso.com')).toBe('alice@contoso.com');
    expect(mailableEmail('Test_User_11bb@testuser.com')).toBe('Test_User_11bb@testuser.com');
  });

  it('gives null for what it cannot, where a user email would be refused', () => {
    for (const value of ['emailName357', 'x@', '@x', 'a b@c.d', ' a@b.c', 'a\u0000@b.c', `${'a'.repeat(300)}@b.c`]) {
      expect(mailableEmail(value)).toBeNull();
    }
    expect(mailableEmail('')).toBeNull();
    expect(mailableEmail(null)).toBeNull();
    expect(mailableEmail(undefined)).toBeNull();
  });
});
