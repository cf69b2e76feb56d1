import { scrubSecrets, serializeError } from './log-scrubbing';

const TOKEN = `squ_${'ab12'.repeat(10)}`;

describe('scrubSecrets', () => {
  it('blanks user tokens and Authorization values wherever they appear in a message', () => {
    const text = scrubSecrets(
      `token ${TOKEN} header Bearer abc.def-ghi and Basic ${Buffer.from('x:y').toString('base64')}`,
    );
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('abc.def-ghi');
    expect(text).toBe('token squ_[redacted] header Bearer [redacted] and Basic [redacted]');
  });

  it('leaves other text alone', () => {
    expect(scrubSecrets('GET /api/scim/v2/Users failed with 503')).toBe('GET /api/scim/v2/Users failed with 503');
  });
});

describe('serializeError', () => {
  it('shows a database error by type and code only: its message may quote bound values', () => {
    const error = Object.assign(new Error("Duplicate entry 'alice@contoso.com' for key 'uq_users_login'"), {
      name: 'QueryFailedError',
      query: 'INSERT INTO users …',
      parameters: ['alice@contoso.com'],
      driverError: { code: 'ER_DUP_ENTRY' },
    });
    const logged = serializeError(error);
    expect(logged).toEqual({ type: 'QueryFailedError', code: 'ER_DUP_ENTRY', message: 'database error ER_DUP_ENTRY' });
    expect(JSON.stringify(logged)).not.toContain('alice');
  });

  it('keeps the message and stack of other errors, scrubbed', () => {
    const logged = serializeError(new Error(`bad token ${TOKEN}`));
    expect(logged.message).toBe('bad token squ_[redacted]');
    expect(String(logged.stack)).not.toContain(TOKEN);
  });
});
