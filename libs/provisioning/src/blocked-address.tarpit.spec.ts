import { EventEmitter } from 'node:events';
import type { Request } from 'express';
import {
  BlockedAddressTarpit,
  DEFAULT_BLOCKED_REFUSAL_DELAY_MS,
  DEFAULT_MAX_HELD_REFUSALS,
} from './blocked-address.tarpit';
import type { ScimProvisioningOptions } from './provisioning-options.interface';

/** A connection as the tarpit sees it: destroyed or not, and "close" when the client goes. */
class FakeSocket extends EventEmitter {
  destroyed = false;
  close(): void {
    this.destroyed = true;
    this.emit('close');
  }
}

const requestOn = (socket: FakeSocket) => ({ socket }) as unknown as Request;
const tarpitWith = (blockedAddressRefusal?: ScimProvisioningOptions['blockedAddressRefusal']) =>
  new BlockedAddressTarpit({ trustedLicensePublicKeys: [], blockedAddressRefusal });
const LONG_BLOCK_MS = 60_000;

describe('BlockedAddressTarpit', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds a refusal for a second by default, at most a thousand at once', () => {
    expect(tarpitWith().settings).toEqual({ delayMs: 1000, maxHeld: 1000 });
    expect([DEFAULT_BLOCKED_REFUSAL_DELAY_MS, DEFAULT_MAX_HELD_REFUSALS]).toEqual([1000, 1000]);
    const tarpit = tarpitWith();
    const answer = jest.fn();
    tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, answer);
    expect(tarpit.heldCount).toBe(1);
    jest.advanceTimersByTime(999);
    expect(answer).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(answer).toHaveBeenCalledTimes(1);
    expect(tarpit.heldCount).toBe(0);
  });

  it('answers at once with a delay of 0', () => {
    const tarpit = tarpitWith({ delayMs: 0 });
    const answer = jest.fn();
    tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, answer);
    expect(answer).toHaveBeenCalledTimes(1);
    expect(tarpit.heldCount).toBe(0);
  });

  it('never holds past the end of the block', () => {
    const tarpit = tarpitWith({ delayMs: 5000 });
    const answer = jest.fn();
    tarpit.hold(requestOn(new FakeSocket()), 300, answer);
    jest.advanceTimersByTime(299);
    expect(answer).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(answer).toHaveBeenCalledTimes(1);
    // A block already over (a clock step): no hold at all.
    const late = jest.fn();
    tarpit.hold(requestOn(new FakeSocket()), -20, late);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('answers at once beyond the cap of held refusals, and holds again once there is room', () => {
    const tarpit = tarpitWith({ delayMs: 1000, maxHeld: 2 });
    const answers = [jest.fn(), jest.fn(), jest.fn(), jest.fn()];
    for (const answer of answers.slice(0, 3)) tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, answer);
    expect(answers.map((a) => a.mock.calls.length)).toEqual([0, 0, 1, 0]);
    expect(tarpit.heldCount).toBe(2);
    jest.advanceTimersByTime(1000);
    expect(tarpit.heldCount).toBe(0);
    tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, answers[3]);
    expect(tarpit.heldCount).toBe(1);
    expect(answers[3]).not.toHaveBeenCalled();
  });

  it('forgets a refusal whose client went away, with its timer, and writes nothing', () => {
    const tarpit = tarpitWith({ delayMs: 1000 });
    const socket = new FakeSocket();
    const answers = [jest.fn(), jest.fn()];
    // Two requests held on one connection (pipelined): one listener on it for both.
    for (const answer of answers) tarpit.hold(requestOn(socket), LONG_BLOCK_MS, answer);
    expect(tarpit.heldCount).toBe(2);
    expect(socket.listenerCount('close')).toBe(1);
    socket.close();
    expect(tarpit.heldCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5000);
    for (const answer of answers) expect(answer).not.toHaveBeenCalled();

    // A connection already gone is not held: answered at once, as without the hold (Node writes nothing to it).
    const gone = new FakeSocket();
    gone.destroyed = true;
    const late = jest.fn();
    tarpit.hold(requestOn(gone), LONG_BLOCK_MS, late);
    expect(tarpit.heldCount).toBe(0);
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('adds one listener per keep-alive connection, however many of its requests are held one after another', () => {
    const tarpit = tarpitWith({ delayMs: 1000 });
    const socket = new FakeSocket();
    for (let i = 0; i < 20; i++) {
      tarpit.hold(requestOn(socket), LONG_BLOCK_MS, jest.fn());
      jest.advanceTimersByTime(1000);
    }
    expect(socket.listenerCount('close')).toBe(1);
    expect(tarpit.heldCount).toBe(0);
  });

  it('on shutdown answers every held refusal at once and holds no more', () => {
    const tarpit = tarpitWith({ delayMs: 30_000 });
    const held = [jest.fn(), jest.fn()];
    for (const answer of held) tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, answer);
    tarpit.onModuleDestroy();
    for (const answer of held) expect(answer).toHaveBeenCalledTimes(1);
    expect(tarpit.heldCount).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    const after = jest.fn();
    tarpit.hold(requestOn(new FakeSocket()), LONG_BLOCK_MS, after);
    expect(after).toHaveBeenCalledTimes(1);
    expect(tarpit.heldCount).toBe(0);
  });
});
