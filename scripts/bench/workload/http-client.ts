import { Agent, request as httpRequest } from 'node:http';
import { summarize, LatencySummary } from './stats';

export interface HttpResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  ms: number;
}

/**
 * One HTTP client per target, over a keep-alive agent with one socket per concurrent worker, as Entra keeps its
 * connections open. Latency is measured from the call to the last byte of the body.
 */
export class HttpClient {
  private agent: Agent;
  private readonly host: string;
  private readonly port: number;
  private readonly authorization: string;

  constructor(
    baseUrl: string,
    readonly basePath: string,
    token: string,
    concurrency: number,
    /** The local address to send from (another loopback address, say); the system's choice when undefined. */
    private readonly localAddress?: string,
  ) {
    const url = new URL(baseUrl);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.authorization = `Bearer ${token}`;
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  /**
   * A request on a kept-alive socket the server has just closed fails before any byte of an answer came back; it
   * was never processed, so it is sent once more on a fresh socket (as browsers and undici do).
   */
  async request(method: string, path: string, body?: unknown): Promise<HttpResult> {
    try {
      return await this.send(method, path, body);
    } catch (error) {
      if ((error as { retryable?: boolean }).retryable) return this.send(method, path, body);
      throw error;
    }
  }

  /** Drops idle connections, e.g. after a long pause in which the server may have closed them. */
  resetConnections(): void {
    const concurrency = this.agent.maxSockets;
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: concurrency, maxFreeSockets: concurrency });
  }

  private send(method: string, path: string, body?: unknown): Promise<HttpResult> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = {
      Authorization: this.authorization,
      Accept: 'application/scim+json',
    };
    if (payload) {
      headers['Content-Type'] = 'application/scim+json';
      headers['Content-Length'] = payload.length;
    }
    const started = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: this.host,
          port: this.port,
          method,
          path: this.basePath + path,
          headers,
          agent: this.agent,
          localAddress: this.localAddress,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const ms = Number(process.hrtime.bigint() - started) / 1e6;
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = undefined;
            if (text.length) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, ms });
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        const retryable = req.reusedSocket && (error.code === 'ECONNRESET' || error.message === 'socket hang up');
        reject(Object.assign(error, { retryable }));
      });
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

export interface PhaseResult {
  name: string;
  requests: number;
  seconds: number;
  rps: number;
  latency: LatencySummary;
  /** Per request kind (lookup, create, patch, ...). */
  kinds: Record<string, LatencySummary>;
  /** Peak resident memory of the measured server process during the phase, in MiB (when sampled). */
  peakRssMiB?: number;
}

/** Collects the latencies of one phase, overall and per request kind. */
export class PhaseRecorder {
  private readonly all: number[] = [];
  private readonly byKind = new Map<string, number[]>();
  private readonly started = process.hrtime.bigint();
  private ended?: bigint;

  constructor(readonly name: string) {}

  record(kind: string, ms: number): void {
    this.all.push(ms);
    let list = this.byKind.get(kind);
    if (!list) this.byKind.set(kind, (list = []));
    list.push(ms);
  }

  finish(): PhaseResult {
    this.ended ??= process.hrtime.bigint();
    const seconds = Number(this.ended - this.started) / 1e9;
    const kinds: Record<string, LatencySummary> = {};
    for (const [kind, list] of this.byKind) kinds[kind] = summarize(list);
    return {
      name: this.name,
      requests: this.all.length,
      seconds,
      rps: this.all.length / seconds,
      latency: summarize(this.all),
      kinds,
    };
  }
}

/** Runs `count` jobs with `concurrency` workers; jobs are taken in order, so neighbours run at the same time. */
export async function runPool(
  count: number,
  concurrency: number,
  job: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: unknown;
  const worker = async () => {
    while (failure === undefined && next < count) {
      const index = next++;
      try {
        await job(index);
      } catch (error) {
        failure ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failure !== undefined) throw failure;
}
