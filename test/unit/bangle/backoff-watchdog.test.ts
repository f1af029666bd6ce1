import { describe, expect, it } from 'vitest';
import { Backoff, Watchdog } from '../../../main/base/backoff.js';
import { ManualClock, TimeoutError, withTimeout } from '../../../main/base/clock.js';

describe('Backoff', () => {
  it('doubles from the initial delay up to the ceiling, without jitter', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 8000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => backoff.next())).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    expect(backoff.attempts).toBe(6);
    backoff.reset();
    expect(backoff.next()).toBe(1000);
  });

  it('spreads each delay by ± jitter', () => {
    expect(new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 0 }).next()).toBe(800);
    expect(new Backoff({ initialMs: 1000, jitter: 0.2, random: () => 0.999999 }).next()).toBe(1200);
  });

  it.each([[{ initialMs: 0 }], [{ initialMs: 5000, maxMs: 1000 }]])('rejects bad settings %j', (options) => {
    expect(() => new Backoff(options)).toThrow(RangeError);
  });
});

describe('Watchdog', () => {
  it('fires once after the limit of silence, not while fed', async () => {
    const clock = new ManualClock(0);
    const fired: number[] = [];
    const watchdog = new Watchdog(clock, 10_000, (silentMs) => fired.push(silentMs));
    watchdog.start();
    for (let i = 0; i < 5; i += 1) {
      await clock.advance(6000);
      watchdog.feed();
    }
    expect(fired).toEqual([]);
    await clock.advance(9999);
    expect(fired).toEqual([]);
    await clock.advance(1);
    expect(fired).toEqual([10_000]);
    await clock.advance(60_000);
    expect(fired).toHaveLength(1);
  });

  it('never fires once stopped', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    const watchdog = new Watchdog(clock, 1000, () => (fired = true));
    watchdog.start();
    watchdog.stop();
    await clock.advance(5000);
    expect(fired).toBe(false);
  });
});

describe('ManualClock', () => {
  it('fires timers in due order, ties in creation order, letting promises settle in between', async () => {
    const clock = new ManualClock(100);
    const order: string[] = [];
    clock.setTimeout(() => order.push('b@20'), 20);
    clock.setTimeout(() => {
      order.push('a@10');
      void Promise.resolve().then(() => order.push('a.then'));
    }, 10);
    clock.setTimeout(() => order.push('c@20'), 20);
    const cancelled = clock.setTimeout(() => order.push('never'), 15);
    clock.clearTimeout(cancelled);
    await clock.advance(25);
    expect(order).toEqual(['a@10', 'a.then', 'b@20', 'c@20']);
    expect(clock.now()).toBe(125);
  });

  it('times out a promise that never settles, on simulated time', async () => {
    const clock = new ManualClock(0);
    const outcome = withTimeout(clock, new Promise<never>(() => undefined), 3000, 'pw.ping').catch(
      (e: unknown) => e,
    );
    await clock.advance(3000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).message).toBe('pw.ping: no answer within 3000 ms');
  });
});
