import { AuthenticationFailure } from './auth.errors';

describe('AuthenticationFailure.answeredAt', () => {
  const end = 1_000_000;

  it('counts the Retry-After of a throttled failure from the moment it is answered', () => {
    const failure = new AuthenticationFailure('throttled', 'retry later', 10, end);
    const later = failure.answeredAt(end - 8_200);
    expect(later.retryAfterSeconds).toBe(9);
    expect([later.reason, later.message, later.getStatus(), later.retryAt]).toEqual([
      'throttled',
      'retry later',
      429,
      end,
    ]);
    // Never "retry now": the request was refused while the block lasted.
    expect(failure.answeredAt(end).retryAfterSeconds).toBe(1);
    expect(failure.answeredAt(end + 5_000).retryAfterSeconds).toBe(1);
  });

  it('leaves a failure without a known end as it is', () => {
    const throttled = AuthenticationFailure.throttled(30);
    expect(throttled.answeredAt(Date.now() + 60_000)).toBe(throttled);
    const unknown = AuthenticationFailure.unknownToken();
    expect(unknown.answeredAt(0)).toBe(unknown);
  });
});
