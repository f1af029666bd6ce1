import { useRef, useState } from 'react';
import type { WatchStatus } from '../api-types.js';
import { accelMagnitudeMg, MagnitudeHistory, sparklineY } from '../format/sparkline.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

/** Accelerometer points kept for the sparkline (about 30 s at 12.5 Hz). */
const SPARK_POINTS = 375;

/** One paired watch: state, live heart rate, movement sparkline, battery, and its controls. */
export function WatchCard({ watch }: { watch: WatchStatus }) {
  const [hr, setHr] = useState<{ bpm: number; confidence: number; tMs: number } | null>(null);
  const history = useRef(new MagnitudeHistory(SPARK_POINTS));
  const canvas = useRef<HTMLCanvasElement>(null);
  const call = useCall();

  useGatewayEvent('watch.received', (batch) => {
    if (batch.address !== watch.address) return;
    const last = batch.hr[batch.hr.length - 1];
    if (last !== undefined) setHr(last);
    for (const a of batch.accel) history.current.push(accelMagnitudeMg(a.xMg, a.yMg, a.zMg));
    if (batch.accel.length > 0 && canvas.current !== null)
      drawSpark(canvas.current, history.current.toArray());
  });

  return (
    <article className="watch-card" aria-label={`Watch ${watch.name}`}>
      <h3>
        {watch.name} <span className="mono small">{watch.address}</span>{' '}
        {watch.simulated && <span className="sim-tag">SIMULATED</span>}
      </h3>
      <p className={`state state-${watch.state}`}>
        <strong>{watch.state.replace('_', ' ')}</strong> — {watch.message}
      </p>
      <div className="watch-live">
        <div className="big-number" aria-label="Watch heart rate">
          <span className="value">{hr === null ? '—' : hr.bpm}</span>
          <span className="unit">bpm</span>
          <span className="sub">{hr === null ? 'no reading yet' : `confidence ${hr.confidence} %`}</span>
        </div>
        <figure className="spark">
          <canvas
            ref={canvas}
            width={240}
            height={60}
            role="img"
            aria-label="Movement (accelerometer magnitude), last 30 seconds"
          />
          <figcaption>Movement, last 30 s</figcaption>
        </figure>
      </div>
      <dl className="facts">
        <dt>Battery</dt>
        <dd>{watch.batteryPct === null ? '—' : `${Math.round(watch.batteryPct)} %`}</dd>
        <dt>Signal</dt>
        <dd>{watch.rssiDbm === null ? '—' : `${watch.rssiDbm} dBm`}</dd>
        <dt>Type</dt>
        <dd>{watch.hrsOnly ? 'Heart rate only' : 'Bangle.js (full)'}</dd>
        <dt>Lines / bad / lost</dt>
        <dd>
          {watch.counters.lines} / {watch.counters.badLines} / {watch.counters.lostLines}
        </dd>
        <dt>Gaps / reconnects</dt>
        <dd>
          {watch.counters.gaps} / {watch.counters.reconnects}
        </dd>
      </dl>
      <div className="row">
        <button
          type="button"
          className="danger"
          disabled={call.pending}
          onClick={() => void call.run('devices.unpairWatch', { address: watch.address })}
        >
          Unpair
        </button>
      </div>
      <ErrorNote error={call.error} what="Watch" />
    </article>
  );
}

function drawSpark(canvas: HTMLCanvasElement, values: readonly number[]): void {
  const ctx = canvas.getContext('2d');
  if (ctx === null) return;
  const ys = sparklineY(values, canvas.height - 4);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#0b4fa8';
  ctx.lineWidth = 2;
  ctx.beginPath();
  let drawing = false;
  ys.forEach((y, k) => {
    // newest at the right edge, so the strip scrolls left as data arrives
    const x = canvas.width - ((ys.length - 1 - k) / (SPARK_POINTS - 1)) * canvas.width;
    if (Number.isNaN(y)) drawing = false;
    else if (!drawing) {
      ctx.moveTo(x, y + 2);
      drawing = true;
    } else ctx.lineTo(x, y + 2);
  });
  ctx.stroke();
}
