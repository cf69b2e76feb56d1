import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'node:net';
import type { Request, Response } from 'express';
import type { AuthenticationFailure } from '@nest-scim/auth';
import { PROVISIONING_OPTIONS, ScimProvisioningOptions } from './provisioning-options.interface';

/** How long the refusal of a blocked address is held before it is sent, unless the options say otherwise. */
export const DEFAULT_BLOCKED_REFUSAL_DELAY_MS = 1000;
/**
 * Refusals held at once per instance, unless the options say otherwise. Each held refusal keeps its connection (a file
 * descriptor) and its request open; a thousand of them cost a few megabytes and stay well below the usual limit of
 * open files, and a flood with more requests in flight than that is answered at once beyond it, as without the hold.
 */
export const DEFAULT_MAX_HELD_REFUSALS = 1000;

export interface BlockedAddressRefusalSettings {
  /** Milliseconds a refusal is held before it is sent; 0 answers at once. */
  delayMs: number;
  /** Refusals held at once; beyond, a refusal is answered at once. */
  maxHeld: number;
}

export function resolveBlockedAddressRefusalSettings(
  options?: Partial<BlockedAddressRefusalSettings>,
): BlockedAddressRefusalSettings {
  return {
    delayMs: options?.delayMs ?? DEFAULT_BLOCKED_REFUSAL_DELAY_MS,
    maxHeld: options?.maxHeld ?? DEFAULT_MAX_HELD_REFUSALS,
  };
}

interface HeldRefusal {
  timer: NodeJS.Timeout;
  socket: Socket;
  answer: () => void;
}

/**
 * Holds the refusal of a blocked address for a while before it is sent (a tarpit). A client that sends its next
 * request as soon as it has the answer — a flood of made-up tokens on keep-alive connections — then gets about one
 * answer per connection per delay instead of one per turn of the event loop, and the server's loop is left to the
 * requests that deserve it. A held refusal costs a timer and an open request: nothing reads its body (Node stops
 * reading the connection once the request's small buffer is full) and nothing else runs for it until it is answered.
 *
 * The hold is per request, not per address: a flood that opens a new connection for each request is held once per
 * request as well, and keeps at most `maxHeld` refusals (and their connections) waiting; beyond, refusals are answered
 * at once. A client that closes its connection while held is forgotten with its timer, and nothing is written. On
 * shutdown every held refusal is answered at once and nothing more is held, so a stop never waits for a delay; the
 * timers do not keep the process alive on their own either.
 */
@Injectable()
export class BlockedAddressTarpit implements OnModuleDestroy {
  readonly settings: BlockedAddressRefusalSettings;
  private readonly held = new Set<HeldRefusal>();
  /**
   * The refusals held on each connection: one "close" listener per connection, however many of its requests are held
   * (pipelined, or one after another on a keep-alive connection); forgotten with the connection.
   */
  private readonly heldBySocket = new WeakMap<Socket, Set<HeldRefusal>>();
  private closing = false;

  constructor(@Inject(PROVISIONING_OPTIONS) options: ScimProvisioningOptions) {
    this.settings = resolveBlockedAddressRefusalSettings(options.blockedAddressRefusal);
  }

  /** Refusals waiting to be sent now. */
  get heldCount(): number {
    return this.held.size;
  }

  /**
   * Holds the refusal of a blocked address and sends it with `send` when the hold ends: never past the block's end,
   * with its Retry-After counted from that moment. The response carries the refusal's status from now on, so the
   * request line of a client that leaves while held ("request aborted", nothing sent) has the level of a refusal,
   * warn, not that of a success. Each surface sends the failure in its own error format.
   */
  holdRefusal(
    request: Request,
    response: Response,
    refusal: AuthenticationFailure,
    send: (failure: AuthenticationFailure) => void,
  ): void {
    const untilBlockEnds = refusal.retryAt === undefined ? 0 : refusal.retryAt - Date.now();
    response.statusCode = refusal.getStatus();
    this.hold(request, untilBlockEnds, () => send(refusal.answeredAt(Date.now())));
  }

  /**
   * Calls `answer` after the delay, never later than `atMostMs` from now (when the block ends), or at once when the
   * delay is 0, the cap of held refusals is reached or the application is closing. Calls nothing if the client goes
   * away meanwhile.
   */
  hold(request: Request, atMostMs: number, answer: () => void): void {
    const delayMs = Math.min(this.settings.delayMs, Math.max(0, atMostMs));
    const socket = request.socket;
    if (delayMs <= 0 || this.closing || this.held.size >= this.settings.maxHeld || !socket || socket.destroyed) {
      return answer();
    }
    const entry: HeldRefusal = {
      socket,
      answer,
      timer: setTimeout(() => this.release(entry, true), delayMs),
    };
    entry.timer.unref();
    this.held.add(entry);
    let onSocket = this.heldBySocket.get(socket);
    if (!onSocket) {
      const entries = new Set<HeldRefusal>();
      this.heldBySocket.set(socket, entries);
      // Not the response's own "close": a response pipelined behind another has no connection yet and never hears it.
      socket.once('close', () => {
        this.heldBySocket.delete(socket);
        for (const held of entries) this.release(held, false);
      });
      onSocket = entries;
    }
    onSocket.add(entry);
  }

  /** Shutdown: every held refusal is answered now, and the ones that come later are not held. */
  onModuleDestroy(): void {
    this.closing = true;
    for (const entry of [...this.held]) this.release(entry, true);
  }

  private release(entry: HeldRefusal, send: boolean): void {
    if (!this.held.delete(entry)) return;
    clearTimeout(entry.timer);
    // The connection's set and listener stay until it closes: a keep-alive connection held again reuses them.
    this.heldBySocket.get(entry.socket)?.delete(entry);
    if (send && !entry.socket.destroyed) entry.answer();
  }
}
