import { Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { WebApiError, WebApiErrorMessage } from './web-api-error';

// "Missing" says more than "must be text" when both apply to one absent parameter.
const FIRST_CONSTRAINTS = ['isNotEmpty', 'arrayNotEmpty'];

/** One message per refused parameter, named by `field`. */
export function validationMessages(errors: ValidationError[], parent = ''): WebApiErrorMessage[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const key = FIRST_CONSTRAINTS.find((k) => k in constraints) ?? Object.keys(constraints)[0];
    const own = key ? [{ msg: constraints[key], field }] : [];
    return [...own, ...validationMessages(error.children ?? [], field)];
  });
}

/**
 * Validates and converts the parameters of the Web API's requests. Bound to the Web API controllers only, never
 * globally, so an embedding host keeps its own validation. Unknown parameters are dropped, as the product ignores
 * them; values are never echoed back.
 */
@Injectable()
export class WebApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => WebApiError.badRequest(validationMessages(errors)),
    });
  }
}
