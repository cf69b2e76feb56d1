import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';

/** The product's one error shape: `{ "error": { "status": 400, "message": "…", "details": ["…"] } }`. */
export interface ExampleErrorBody {
  error: { status: number; message: string; details?: string[] };
}

/** Every error of the product's own routes, in its own shape; anything unexpected is a 500 without internals. */
@Catch()
export class ExampleErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExampleErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (!(exception instanceof HttpException)) {
      this.logger.error(exception instanceof Error ? exception.message : String(exception));
      const body: ExampleErrorBody = { error: { status: 500, message: 'Internal error' } };
      response.status(HttpStatus.INTERNAL_SERVER_ERROR).json(body);
      return;
    }
    const status = exception.getStatus();
    const raw = exception.getResponse();
    const message = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
    const body: ExampleErrorBody = Array.isArray(message)
      ? { error: { status, message: 'The request is invalid', details: message.map(String) } }
      : { error: { status, message: typeof message === 'string' ? message : exception.message } };
    response.status(status).json(body);
  }
}
