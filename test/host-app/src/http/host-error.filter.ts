import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

export interface HostErrorBody {
  ok: false;
  error: { code: string; messages: string[] };
}

/** The host's one error shape, for every route of the host: `{ ok: false, error: { code, messages } }`. */
@Catch()
export class HostErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const status = exception instanceof HttpException ? exception.getStatus() : HttpStatus.INTERNAL_SERVER_ERROR;
    const raw = exception instanceof HttpException ? exception.getResponse() : 'Something went wrong';
    const message = typeof raw === 'string' ? raw : (raw as { message?: unknown }).message;
    const messages = Array.isArray(message) ? message.map(String) : [String(message ?? HttpStatus[status])];
    const body: HostErrorBody = { ok: false, error: { code: HttpStatus[status] ?? 'ERROR', messages } };
    response.status(status).json(body);
  }
}
