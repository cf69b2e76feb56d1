import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP forwarder between the server and its database, so a test can cut the database off (and bring it back), or
 * freeze it (connections stay open, nothing goes through), without touching the database server that other tests
 * share.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  /** While frozen, what each side sent waits here, in order, for thaw(). */
  private frozen = false;
  private readonly held: { to: Socket; data: Buffer }[] = [];
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async open(port = this.port): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      const forward = (to: Socket) => (data: Buffer) => {
        if (this.frozen) this.held.push({ to, data });
        else if (!to.destroyed) to.write(data);
      };
      client.on('data', forward(upstream));
      upstream.on('data', forward(client));
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this.port;
  }

  /** A stalled database: connections open and new ones accepted, but not a byte forwarded either way. */
  freeze(): void {
    this.frozen = true;
  }

  /** The stall ends: what was held back is delivered, and forwarding resumes. */
  thaw(): void {
    this.frozen = false;
    for (const { to, data } of this.held.splice(0)) if (!to.destroyed) to.write(data);
  }

  /** Refuses new connections and breaks every open one, as a stopped database would. */
  async cut(): Promise<void> {
    this.frozen = false;
    this.held.length = 0;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}
