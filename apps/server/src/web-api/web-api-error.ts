import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export interface WebApiErrorMessage {
  msg: string;
  /** The parameter or setting the message is about, when there is one. */
  field?: string;
}

/** The product's Web API error body: `{"errors":[{"msg":"…"}]}`, one entry per problem. */
export interface WebApiErrorBody {
  errors: WebApiErrorMessage[];
}

/** An error of the admin Web API, rendered as the product renders its own. */
export class WebApiError extends HttpException {
  constructor(status: HttpStatus, messages: string | WebApiErrorMessage[]) {
    const errors = typeof messages === 'string' ? [{ msg: messages }] : messages;
    super({ errors } satisfies WebApiErrorBody, status);
    this.name = 'WebApiError';
  }

  get errors(): WebApiErrorMessage[] {
    return (this.getResponse() as WebApiErrorBody).errors;
  }

  static badRequest(messages: string | WebApiErrorMessage[]): WebApiError {
    return new WebApiError(HttpStatus.BAD_REQUEST, messages);
  }

  static notFound(message: string): WebApiError {
    return new WebApiError(HttpStatus.NOT_FOUND, message);
  }
}

/** OpenAPI shape of one error message. */
export class WebApiErrorMessageDto implements WebApiErrorMessage {
  @ApiProperty({ example: "The 'login' parameter is missing" })
  msg: string;

  @ApiPropertyOptional({ description: 'The parameter or setting the message is about', example: 'login' })
  field?: string;
}

/** OpenAPI shape of every error answer of the admin Web API. */
export class WebApiErrorBodyDto implements WebApiErrorBody {
  @ApiProperty({ type: [WebApiErrorMessageDto] })
  errors: WebApiErrorMessageDto[];
}
