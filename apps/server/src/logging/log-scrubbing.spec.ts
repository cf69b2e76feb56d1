import { looksLikeSecret, scrubFields, scrubSecrets, serializeError } from './log-scrubbing';

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

  it('blanks product tokens inside paths and glued to other text, of every kind, and session cookies', () => {
    const hex = 'c0ffee'.repeat(7).slice(0, 40);
    const text = scrubSecrets(
      `GET /api/scim/v2/Users/squ_${hex} /x/sqa_${hex}ff idsqp_${hex} Cookie: sq-session=AbC_12-xyz; other=1`,
    );
    expect(text).not.toContain(hex);
    expect(text).not.toContain('AbC_12-xyz');
    expect(text).toBe(
      'GET /api/scim/v2/Users/squ_[redacted] /x/sqa_[redacted] idsqp_[redacted] Cookie: sq-session=[redacted]; other=1',
    );
  });

  it('leaves other text alone', () => {
    expect(scrubSecrets('GET /api/scim/v2/Users failed with 503')).toBe('GET /api/scim/v2/Users failed with 503');
  });
});

describe('scrubFields', () => {
  it('cleans every string of a record, nested, and leaves other values as they are', () => {
    const error = new Error('kept as is: the err serialiser cleans errors');
    const record = { req: { path: `/Users/${TOKEN}`, ids: [TOKEN, 7] }, n: 1, ok: true, error };
    expect(scrubFields(record)).toEqual({
      req: { path: '/Users/squ_[redacted]', ids: ['squ_[redacted]', 7] },
      n: 1,
      ok: true,
      error,
    });
    expect(scrubFields(`msg ${TOKEN}`)).toBe('msg squ_[redacted]');
  });
});

describe('looksLikeSecret', () => {
  it('takes product tokens and long separator-free runs for secrets, and ordinary request ids for ids', () => {
    for (const secret of [TOKEN, 'sqa_1', `abc-${'x9'.repeat(16)}`, 'a'.repeat(32)]) {
      expect({ secret, refused: looksLikeSecret(secret) }).toEqual({ secret, refused: true });
    }
    for (const id of ['entra-sync-42', '3f2c1a9e-7b4d-4c8e-9f10-2a3b4c5d6e7f', 'audit-delete', 'a'.repeat(31)]) {
      expect({ id, refused: looksLikeSecret(id) }).toEqual({ id, refused: false });
    }
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
