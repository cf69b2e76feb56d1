import { toScimError } from '@nest-scim/scim';
import { ProvisioningStorageErrors } from './scim-storage.errors';

/** A driver error as TypeORM wraps it, with a message that quotes the bound value. */
const queryFailed = (code: string) =>
  Object.assign(new Error(`Duplicate entry 'alice@contoso.com'`), { driverError: { code } });

describe('ProvisioningStorageErrors: what a SCIM client hears of a database error', () => {
  const storage = new ProvisioningStorageErrors();

  it.each(['ER_DUP_ENTRY', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])(
    'answers a unique index refusing a write (%s) with 409 uniqueness, never quoting the value',
    (code) => {
      const error = toScimError(queryFailed(code), storage);
      expect([error.status, error.scimType]).toEqual([409, 'uniqueness']);
      expect(error.detail).not.toContain('alice');
    },
  );

  it.each(['ECONNREFUSED', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_LOCK_DEADLOCK', 'SQLITE_BUSY'])(
    'answers a database that cannot serve for now (%s) with 503 and Retry-After',
    (code) => {
      const error = toScimError(queryFailed(code), storage);
      expect(error.status).toBe(503);
      expect(error.headers['Retry-After']).toMatch(/^\d+$/);
    },
  );

  it('leaves any other error a 500, and logs the driver code rather than the message', () => {
    expect(toScimError(queryFailed('ER_PARSE_ERROR'), storage).status).toBe(500);
    expect(storage.codeOf(queryFailed('ER_PARSE_ERROR'))).toBe('ER_PARSE_ERROR');
  });

  it('is what the SCIM endpoint lacks without it: a duplicate is then a 500', () => {
    expect(toScimError(queryFailed('ER_DUP_ENTRY')).status).toBe(500);
  });
});
