import { ArgumentsHost, Logger, NotFoundException } from '@nestjs/common';
import { AuthenticationFailure, PermissionDenied } from '@nest-scim/auth';
import { DomainRuleError } from '@nest-scim/identity';
import { LicenseKeyRejectedError } from '@nest-scim/license';
import { ScimEnableRefusedError } from '@nest-scim/provisioning';
import { SamlSettingsValidationError } from '@nest-scim/saml';
import { WebApiError } from './web-api-error';
import { WebApiExceptionFilter } from './web-api-exception.filter';

function render(exception: unknown) {
  const answer = { status: 0, body: undefined as unknown, headers: {} as Record<string, string> };
  const response = {
    headersSent: false,
    set(headers: Record<string, string>) {
      Object.assign(answer.headers, headers);
      return this;
    },
    status(code: number) {
      answer.status = code;
      return this;
    },
    json(body: unknown) {
      answer.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new WebApiExceptionFilter().catch(exception, host);
  return answer;
}

describe('WebApiExceptionFilter', () => {
  it('renders domain rules as 400, and what does not exist as 404', () => {
    expect(render(DomainRuleError.managedInstance())).toMatchObject({
      status: 400,
      body: { errors: [{ msg: 'Operation not allowed when the instance is externally managed.' }] },
    });
    expect(render(DomainRuleError.conflict("A user with login 'a' already exists")).status).toBe(400);
    expect(render(DomainRuleError.lastAdmin('The last administrator user cannot be removed')).status).toBe(400);
    expect(render(DomainRuleError.notFound('User not found'))).toMatchObject({
      status: 404,
      body: { errors: [{ msg: 'User not found' }] },
    });
  });

  it('renders authentication failures as 401, throttling as 429 with Retry-After, permissions as 403', () => {
    expect(render(AuthenticationFailure.unknownToken())).toMatchObject({
      status: 401,
      body: { errors: [{ msg: "Token doesn't exist" }] },
      headers: { 'WWW-Authenticate': 'Bearer' },
    });
    const throttled = render(AuthenticationFailure.throttled(42));
    expect(throttled).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
    expect(render(new PermissionDenied())).toMatchObject({
      status: 403,
      body: { errors: [{ msg: 'Insufficient privileges' }] },
    });
  });

  it('keeps one message per problem, naming the setting or parameter', () => {
    expect(render(new SamlSettingsValidationError([{ key: 'k', message: 'bad' }])).body).toEqual({
      errors: [{ msg: 'bad', field: 'k' }],
    });
    const refused = new ScimEnableRefusedError([
      { prerequisite: 'confirmation', message: 'confirm' },
      { prerequisite: 'license', message: 'license' },
    ]);
    expect(render(refused).body).toEqual({ errors: [{ msg: 'confirm' }, { msg: 'license' }] });
    expect(render(WebApiError.badRequest([{ msg: 'm', field: 'f' }]))).toEqual({
      status: 400,
      body: { errors: [{ msg: 'm', field: 'f' }] },
      headers: {},
    });
    expect(render(LicenseKeyRejectedError.untrusted()).body).toEqual({
      errors: [{ msg: 'The license key is not signed by a trusted key' }],
    });
    expect(render(new NotFoundException('Cannot GET /api/x')).status).toBe(404);
  });

  it('answers a database that is down or silent with 503 and Retry-After, not 500', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'PROTOCOL_SEQUENCE_TIMEOUT', 'PROTOCOL_CONNECTION_LOST']) {
        const driverError = Object.assign(new Error(`boom 'alice@contoso.example'`), { code });
        const wrapped = Object.assign(new Error('query failed'), { name: 'QueryFailedError', driverError });
        for (const exception of [driverError, wrapped]) {
          expect(render(exception)).toEqual({
            status: 503,
            body: { errors: [{ msg: 'The service is temporarily unavailable; retry later' }] },
            headers: { 'Retry-After': '5' },
          });
        }
      }
      expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).not.toContain('alice');
    } finally {
      warn.mockRestore();
    }
  });

  it('answers anything unexpected with a 500 that says nothing of it, and logs it', () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const answer = render(new Error("Duplicate entry 'secret@example.com' for key 'users.email'"));
      expect(answer).toEqual({
        status: 500,
        body: { errors: [{ msg: 'An error has occurred. Please contact your administrator' }] },
        headers: {},
      });
      expect(error).toHaveBeenCalledTimes(1);
    } finally {
      error.mockRestore();
    }
  });
});
