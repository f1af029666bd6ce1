/** The uploader's timing pieces on a manual clock: the bandwidth cap, access-token refresh, the periodic runner and the status throttle. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../main/base/clock.js';
import type { QueueStatus } from '../../../main/queue/types.js';
import { AccessTokens, type IssuedToken } from '../../../main/sync/access-tokens.js';
import { TokenBucket } from '../../../main/sync/bandwidth.js';
import { Periodic } from '../../../main/sync/heartbeat.js';
import { StatusBoard } from '../../../main/sync/status-board.js';
import type { SyncStatus } from '../../../preload/schemas.js';

const T = 1_763_700_000_000;

describe('TokenBucket', () => {
  it('never waits when unlimited', () => {
    const bucket = new TokenBucket(new ManualClock(T), null);
    expect(bucket.reserve(1e9)).toBe(0);
  });

  it('holds the rate to the cap after one second of burst', async () => {
    const clock = new ManualClock(T);
    const bucket = new TokenBucket(clock, 10_000);
    expect(bucket.reserve(10_000)).toBe(0); // the burst
    const startMs = clock.now();
    for (let i = 0; i < 100; i++) await clock.advance(bucket.reserve(5_000));
    // 500 kB at 10 kB/s after the burst: 50 s, each chunk 500 ms after the one before.
    expect(clock.now() - startMs).toBe(50_000);
  });

  it('lets a chunk larger than the burst through, and makes the next one pay', async () => {
    const clock = new ManualClock(T);
    const bucket = new TokenBucket(clock, 1_000);
    expect(bucket.reserve(5_000)).toBe(4_000);
    await clock.advance(4_000);
    expect(bucket.reserve(1_000)).toBe(1_000);
  });

  it('rejects a cap that is not a positive rate', () => {
    expect(() => new TokenBucket(new ManualClock(T), 0)).toThrow(RangeError);
    expect(() => new TokenBucket(new ManualClock(T), Number.NaN)).toThrow(RangeError);
    const bucket = new TokenBucket(new ManualClock(T), null);
    expect(() => bucket.setRate(-5)).toThrow(RangeError);
    bucket.setRate(2_000);
    expect(bucket.rate).toBe(2_000);
  });
});

describe('AccessTokens', () => {
  function setup(lifetimeMs = 900_000) {
    const clock = new ManualClock(T);
    let issued = 0;
    const serverSkewMs = { value: 0 };
    const tokens = new AccessTokens(async (): Promise<IssuedToken> => {
      issued++;
      await Promise.resolve();
      return {
        accessToken: `token-${issued}`,
        accessTokenExpiresAtMs: clock.now() + serverSkewMs.value + lifetimeMs,
      };
    }, clock);
    return { clock, tokens, issued: () => issued, serverSkewMs };
  }

  it('fetches once for concurrent callers and reuses the token', async () => {
    const { tokens, issued } = setup();
    const [a, b] = await Promise.all([tokens.get(), tokens.get()]);
    expect([a, b]).toEqual(['token-1', 'token-1']);
    expect(await tokens.get()).toBe('token-1');
    expect(issued()).toBe(1);
  });

  it('refreshes a minute before expiry', async () => {
    const { clock, tokens } = setup();
    await tokens.get();
    await clock.advance(900_000 - 60_001);
    expect(await tokens.get()).toBe('token-1');
    await clock.advance(2);
    expect(await tokens.get()).toBe('token-2');
  });

  it('refreshes short-lived tokens a fifth of their life early', async () => {
    const { clock, tokens } = setup(100_000);
    await tokens.get();
    await clock.advance(79_999);
    expect(await tokens.get()).toBe('token-1');
    await clock.advance(2);
    expect(await tokens.get()).toBe('token-2');
  });

  it('judges expiry on the server’s clock once the server said its time', async () => {
    const { clock, tokens, serverSkewMs } = setup();
    serverSkewMs.value = 600_000; // the server is 10 minutes ahead of this gateway
    await tokens.get();
    tokens.observeServerTime(clock.now() + 600_000);
    await clock.advance(900_000 - 60_001);
    expect(await tokens.get()).toBe('token-1');
    await clock.advance(2);
    expect(await tokens.get()).toBe('token-2');
  });

  it('fetches a new token after invalidate (a 401)', async () => {
    const { tokens } = setup();
    await tokens.get();
    tokens.invalidate();
    expect(await tokens.get()).toBe('token-2');
  });

  it('lets the next caller try again after a failed fetch', async () => {
    const clock = new ManualClock(T);
    let calls = 0;
    const tokens = new AccessTokens(() => {
      calls++;
      return calls === 1
        ? Promise.reject(new Error('server error'))
        : Promise.resolve({ accessToken: 'ok', accessTokenExpiresAtMs: T + 900_000 });
    }, clock);
    await expect(tokens.get()).rejects.toThrow('server error');
    expect(await tokens.get()).toBe('ok');
  });
});

describe('Periodic', () => {
  it('runs every interval, never overlapping, and stops', async () => {
    const clock = new ManualClock(T);
    const runs: number[] = [];
    let release: (() => void) | undefined;
    const periodic = new Periodic(clock, 1_000, () => {
      runs.push(clock.now() - T);
      return new Promise<void>((resolve) => (release = resolve));
    });
    periodic.start(0);
    await clock.advance(5_000);
    expect(runs).toEqual([0]); // the first run has not finished: no second one
    release!();
    await clock.advance(2_500);
    expect(runs).toEqual([0, 6_000]);
    periodic.stop();
    release!();
    await clock.advance(10_000);
    expect(runs).toEqual([0, 6_000]);
  });

  it('keeps its schedule when a run throws', async () => {
    const clock = new ManualClock(T);
    let runs = 0;
    const periodic = new Periodic(clock, 1_000, () => {
      runs++;
      return Promise.reject(new Error('boom'));
    });
    periodic.start();
    await clock.advance(3_500);
    expect(runs).toBe(3);
    periodic.stop();
  });
});

describe('StatusBoard', () => {
  const queue: QueueStatus = {
    pendingChunks: 2,
    pendingBytes: 300,
    failedChunks: 0,
    oldestPendingAtMs: T - 5_000.4,
    diskUsedBytes: 4096,
    diskQuotaBytes: 1e9,
    alarm: null,
    pendingItems: 3,
    sendingItems: 1,
    failedItems: 1,
    ackedRetainedItems: 0,
    lastError: null,
  };

  it('announces a state change at once and counters at most every 250 ms', async () => {
    const clock = new ManualClock(T);
    const board = new StatusBoard(clock, () => queue);
    const seen: SyncStatus[] = [];
    board.onChange((s) => seen.push(s));
    board.update({ state: 'idle', enrolled: true });
    expect(seen).toHaveLength(1);
    for (let i = 1; i <= 10; i++) board.update({ uploadedItems: i });
    expect(seen).toHaveLength(1); // counters wait for the throttle
    await clock.advance(250);
    expect(seen).toHaveLength(2);
    expect(seen[1]).toMatchObject({ uploadedChunks: 10, pendingItems: 4, pendingBytes: 300, failedItems: 1 });
    expect(seen[1]!.oldestPendingAtMs).toBe(Math.round(T - 5_000.4));
    board.update({ lastError: 'server error (500)' });
    expect(seen).toHaveLength(3);
    await clock.advance(1_000);
    expect(seen).toHaveLength(3);
  });

  it('survives a listener that throws', () => {
    const board = new StatusBoard(new ManualClock(T), () => queue);
    board.onChange(() => {
      throw new Error('listener fault');
    });
    expect(() => board.update({ state: 'offline' })).not.toThrow();
  });
});
