import { HttpException, HttpStatus } from '@nestjs/common';

/** The product's Web API error body: `{"errors":[{"msg":"…"}]}`, one entry per problem. */
export interface WebApiErrorBody {
  errors: { msg: string; field?: string }[];
}

/** An error of the admin Web API, rendered as the product renders its own. */
export class WebApiError extends HttpException {
  constructor(status: HttpStatus, messages: string | { msg: string; field?: string }[]) {
    const errors = typeof messages === 'string' ? [{ msg: messages }] : messages;
    super({ errors } satisfies WebApiErrorBody, status);
  }

  static badRequest(messages: string | { msg: string; field?: string }[]): WebApiError {
    return new WebApiError(HttpStatus.BAD_REQUEST, messages);
  }
  static notFound(message: string): WebApiError {
    return new WebApiError(HttpStatus.NOT_FOUND, message);
  }
}
