/**
 * How a decode outcome crosses the worker boundary cheaply. Structured clone of row objects is
 * the costly part of a reply (about 0.5 ms of CPU for the 750 rows of a one-minute accelerometer
 * chunk, against ~30 µs for the same numbers as typed arrays), so accelerometer rows travel as
 * columns in transferred typed arrays and are rebuilt as objects on the receiving side. Other
 * outcomes (record rows: at most a few hundred small objects; failures) go as they are.
 */
import type { AccelRow } from '../store/store.js';
import type { DecodeOutcome } from './decode-task.js';

/** Accelerometer rows as columns: times (ms) and the three axes (milli-g). */
export interface AccelColumns {
  tMs: Float64Array<ArrayBuffer>;
  xMg: Float64Array<ArrayBuffer>;
  yMg: Float64Array<ArrayBuffer>;
  zMg: Float64Array<ArrayBuffer>;
}

/** A decode outcome as posted by a worker: accel rows, if any, moved to `accelColumns`. */
export interface WireOutcome {
  outcome: DecodeOutcome;
  accelColumns?: AccelColumns;
}

/** The outcome in wire form and the buffers to transfer with it. */
export function toWire(outcome: DecodeOutcome): { wire: WireOutcome; transfer: ArrayBuffer[] } {
  const accel = outcome.ok ? outcome.expanded.rows.accel : undefined;
  if (!outcome.ok || accel === undefined) return { wire: { outcome }, transfer: [] };
  const n = accel.length;
  const columns: AccelColumns = {
    tMs: new Float64Array(n),
    xMg: new Float64Array(n),
    yMg: new Float64Array(n),
    zMg: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const row = accel[i]!;
    columns.tMs[i] = row.tMs;
    columns.xMg[i] = row.xMg;
    columns.yMg[i] = row.yMg;
    columns.zMg[i] = row.zMg;
  }
  const otherRows = { ...outcome.expanded.rows };
  delete otherRows.accel;
  const wire: WireOutcome = {
    outcome: { ok: true, expanded: { ...outcome.expanded, rows: otherRows } },
    accelColumns: columns,
  };
  return { wire, transfer: [columns.tMs.buffer, columns.xMg.buffer, columns.yMg.buffer, columns.zMg.buffer] };
}

/** The outcome a worker posted with {@link toWire}, accel rows rebuilt as objects. */
export function fromWire(wire: WireOutcome): DecodeOutcome {
  const { outcome, accelColumns: columns } = wire;
  if (!outcome.ok || columns === undefined) return outcome;
  const accel: AccelRow[] = new Array<AccelRow>(columns.tMs.length);
  for (let i = 0; i < accel.length; i++) {
    accel[i] = { tMs: columns.tMs[i]!, xMg: columns.xMg[i]!, yMg: columns.yMg[i]!, zMg: columns.zMg[i]! };
  }
  return { ok: true, expanded: { ...outcome.expanded, rows: { ...outcome.expanded.rows, accel } } };
}
