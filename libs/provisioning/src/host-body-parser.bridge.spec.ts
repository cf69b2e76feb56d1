import type { NextFunction, Request, Response } from 'express';
import { SCIM_BODY_ERROR } from '@nest-scim/scim';
import { scimBodyErrorHandoff } from './host-body-parser.bridge';

const parseFailure = Object.assign(new SyntaxError('Unexpected end of JSON input'), {
  type: 'entity.parse.failed',
  status: 400,
});
const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });

function pass(error: unknown, path: string) {
  const req = { path } as unknown as Request & Record<symbol, unknown>;
  const next = jest.fn() as jest.MockedFunction<NextFunction>;
  scimBodyErrorHandoff('/api/scim/v2')(error, req, {} as Response, next);
  return { handedOver: req[SCIM_BODY_ERROR], next };
}

describe('scimBodyErrorHandoff', () => {
  it.each(['/api/scim/v2/Users', '/api/scim/v2', '/API/SCIM/V2/Groups/1', '/platform/api/scim/v2/Users'])(
    'hands a body the host could not parse at %s to the SCIM pipeline and carries on',
    (path) => {
      const { handedOver, next } = pass(parseFailure, path);
      expect(handedOver).toBe(parseFailure);
      expect(next).toHaveBeenCalledWith();
    },
  );

  it('hands over a body over the host’s size limit too', () => {
    expect(pass(tooLarge, '/api/scim/v2/Users').handedOver).toBe(tooLarge);
  });

  it.each(['/shop/products', '/api/scim/v20/Users', '/api/scim'])('leaves the host’s own routes to it: %s', (path) => {
    const { handedOver, next } = pass(parseFailure, path);
    expect(handedOver).toBeUndefined();
    expect(next).toHaveBeenCalledWith(parseFailure);
  });

  it('passes on errors that are not about reading the body', () => {
    const failure = new Error('boom');
    const { handedOver, next } = pass(failure, '/api/scim/v2/Users');
    expect(handedOver).toBeUndefined();
    expect(next).toHaveBeenCalledWith(failure);
  });
});
