import { describe, expect, it } from 'vitest';
import { GroupCommit, type ItemResult } from '../../../server/store/group-commit.js';

describe('group commit', () => {
  it('writes what arrives in one turn as one group, and later arrivals in the next', async () => {
    const groups: number[][] = [];
    const gc = new GroupCommit<number, number>(async (inputs) => {
      groups.push(inputs);
      await new Promise((r) => setTimeout(r, 5));
      return inputs.map((v) => ({ ok: true, value: v * 10 }));
    });
    const first = [1, 2, 3].map((v) => gc.submit(v));
    // Arrives while the first group is being written: waits for the next group.
    await new Promise((r) => setImmediate(r));
    const second = [4, 5].map((v) => gc.submit(v));
    expect(await Promise.all([...first, ...second])).toEqual([10, 20, 30, 40, 50]);
    expect(groups).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('fails only the item the writer says failed, and every item when the group fails', async () => {
    const gc = new GroupCommit<number, number>((inputs) =>
      Promise.resolve(
        inputs.map((v): ItemResult<number> =>
          v === 2 ? { ok: false, error: new Error('two') } : { ok: true, value: v },
        ),
      ),
    );
    const results = await Promise.allSettled([1, 2, 3].map((v) => gc.submit(v)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);

    let failures = 1;
    const flaky = new GroupCommit<number, number>((inputs) =>
      failures-- > 0
        ? Promise.reject(new Error('disk full'))
        : Promise.resolve(inputs.map((v) => ({ ok: true, value: v }))),
    );
    const all = await Promise.allSettled([1, 2].map((v) => flaky.submit(v)));
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    // The queue recovers: the next submission is written normally.
    expect(await flaky.submit(7)).toBe(7);
  });

  it('splits a long queue into groups of at most maxGroup', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommit<number, number>(
      (inputs) => {
        sizes.push(inputs.length);
        return Promise.resolve(inputs.map((v) => ({ ok: true, value: v })));
      },
      { maxGroup: 4 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    expect(sizes).toEqual([4, 4, 2]);
  });

  it('waits for items on their way, at most the window, and never when none are', async () => {
    const groups: number[][] = [];
    const writer = (inputs: number[]) => {
      groups.push(inputs);
      return Promise.resolve(inputs.map((v) => ({ ok: true as const, value: v })));
    };
    // A window far beyond the test timeout: only an arrival can release these groups.
    const gc = new GroupCommit<number, number>(writer, { windowMs: 60_000 });
    let onTheirWay = 0;
    gc.expect(() => onTheirWay);

    // Nothing on its way: written at once.
    await gc.submit(1);
    expect(groups).toEqual([[1]]);

    // Two on their way: the group waits for them and is written when the last arrives.
    onTheirWay = 2;
    const first = gc.submit(2);
    setTimeout(() => {
      onTheirWay = 1;
      void gc.submit(3);
    }, 10);
    setTimeout(() => {
      onTheirWay = 0;
      void gc.submit(4);
    }, 20);
    await first;
    expect(groups.at(-1)).toEqual([2, 3, 4]);

    // One on its way that never comes (its decode failed): the group goes when the window ends.
    const short = new GroupCommit<number, number>(writer, { windowMs: 50 });
    short.expect(() => 1);
    const t0 = performance.now();
    await short.submit(5);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    expect(groups.at(-1)).toEqual([5]);
  });

  it('answers a group only after its durability barrier, writing the next group meanwhile', async () => {
    const written: number[][] = [];
    const barriers: (() => void)[] = [];
    const gc = new GroupCommit<number, number>(
      (inputs) => {
        written.push(inputs);
        return Promise.resolve(inputs.map((v) => ({ ok: true, value: v })));
      },
      { durable: () => new Promise<void>((resolve) => barriers.push(resolve)) },
    );
    const answered: number[] = [];
    const first = gc.submit(1).then((v) => answered.push(v));
    while (barriers.length === 0) await new Promise((r) => setImmediate(r));
    const second = gc.submit(2).then((v) => answered.push(v));
    while (barriers.length < 2) await new Promise((r) => setImmediate(r));
    // Both groups are written, neither is answered: their syncs have not finished.
    expect(written).toEqual([[1], [2]]);
    expect(answered).toEqual([]);
    barriers[0]!();
    await first;
    expect(answered).toEqual([1]);
    barriers[1]!();
    await second;
    expect(answered).toEqual([1, 2]);
  });

  it('fails a written group whose durability barrier fails', async () => {
    const gc = new GroupCommit<number, number>(
      (inputs) => Promise.resolve(inputs.map((v) => ({ ok: true, value: v }))),
      { durable: () => Promise.reject(new Error('EIO')) },
    );
    await expect(gc.submit(1)).rejects.toThrow('EIO');
  });
});
