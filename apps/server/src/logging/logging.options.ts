import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import { stdSerializers, type SerializedError } from 'pino';
import type { Options } from 'pino-http';
import type { ServerConfig } from '../config/server-config';
import { logDestination } from './log-destination';
import { looksLikeSecret, scrubFields, scrubSecrets, serializeError } from './log-scrubbing';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Paths are logged without their query string: SCIM filters carry people's names and addresses
 * (`filter=userName eq "…"`), which have no place in an info-level log.
 */
function pathOnly(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

interface LoggedRequest {
  id?: string;
  method?: string;
  originalUrl?: string;
  path?: unknown;
  url?: string;
}

/** The URL a request log line names: Express's original URL, else the path, else the URL (pino's standard choice). */
function requestUrl(req: LoggedRequest): string | undefined {
  if (req.originalUrl) return req.originalUrl;
  return typeof req.path === 'string' ? req.path : req.url;
}

/**
 * Structured logs: JSON in production, readable lines in development; every line written while serving a request
 * carries its request id; credentials never reach a log line (the request and response serialisers only ever emit
 * method, path, status and id — no headers, no bodies, no query strings). Standard output unless `LOG_FILE` is set;
 * JSON lines are buffered briefly (see `logDestination`) unless `LOG_SYNC=true`.
 */
export function loggingOptions(config: ServerConfig): Params {
  const options: Options = {
    level: config.logLevel,
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && REQUEST_ID.test(given) && !looksLikeSecret(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    // The serializers read the request and response themselves: pino-http's default wrapping first builds the
    // standard objects (parsing the query string again, copying every header) only for these to keep three fields.
    // They read what the standard ones would: the URL as Express first saw it, and no status before it was sent.
    wrapSerializers: false,
    serializers: {
      req: (req: LoggedRequest) => ({
        id: req.id || undefined,
        method: req.method,
        path: scrubSecrets(pathOnly(requestUrl(req))),
      }),
      res: (res: { statusCode?: number; headersSent?: boolean }) => ({
        statusCode: res.headersSent ? res.statusCode : null,
      }),
      err: stdSerializers.wrapErrorSerializer(serializeError as (err: SerializedError) => Record<string, unknown>),
    },
    // Belt and braces: should anything ever log a whole request, these paths are blanked.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.password',
        '*.token',
        '*.authorization',
      ],
      censor: '[redacted]',
    },
    hooks: {
      // A message or a field that quotes a credential (a token, in a path or anywhere else; an Authorization value; a
      // session cookie) is cleaned before it is written.
      logMethod(args, method) {
        method.apply(this, args.map((arg) => scrubFields(arg)) as typeof args);
      },
    },
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => req.url === '/api/system/health' },
  };
  if (config.logFormat === 'pretty') {
    options.transport = {
      target: 'pino-pretty',
      options: {
        singleLine: true,
        translateTime: 'UTC:yyyy-mm-dd HH:MM:ss.l',
        ignore: 'pid,hostname',
        ...(config.logFile ? { destination: config.logFile, mkdir: true } : {}),
      },
    };
    return { pinoHttp: options };
  }
  return { pinoHttp: [options, logDestination(config.logFile, config.logSync)] };
}
