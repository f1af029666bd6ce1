import { useEffect, useRef, useState } from 'react';
import type { WatchStatus } from '../api-types.js';
import { accelMagnitudeMg, MagnitudeHistory, sparklineY } from '../format/sparkline.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { gateway } from '../gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { Toolbar } from './Toolbar.js';

/** Accelerometer points kept for the sparkline (about 30 s at 12.5 Hz). */
const SPARK_POINTS = 375;

/** One paired watch: its patient, state, live heart rate, movement sparkline, battery, and its controls. */
export function WatchCard({ watch }: { watch: WatchStatus }) {
  const [hr, setHr] = useState<{ bpm: number; confidence: number; tMs: number } | null>(null);
  const [studyCode, setStudyCode] = useState<string | null>(null);
  const [confirmUnpair, setConfirmUnpair] = useState(false);
  const history = useRef(new MagnitudeHistory(SPARK_POINTS));
  const canvas = useRef<HTMLCanvasElement>(null);
  const call = useCall();

  useEffect(() => {
    if (watch.patientId === null) return;
    void gateway()
      .invoke('patients.get', { id: watch.patientId })
      .then((p) => setStudyCode(p.studyCode))
      .catch(() => setStudyCode(null));
  }, [watch.patientId]);
  useGatewayEvent('watch.received', (batch) => {
    if (batch.address !== watch.address) return;
    const last = batch.hr[batch.hr.length - 1];
    if (last !== undefined) setHr(last);
    for (const a of batch.accel) history.current.push(accelMagnitudeMg(a.xMg, a.yMg, a.zMg));
    if (batch.accel.length > 0 && canvas.current !== null)
      drawSpark(canvas.current, history.current.toArray());
  });

  const bound = watch.patientId !== null;
  const linked = ['streaming', 'reconnecting', 'out_of_range', 'connecting', 'paired'].includes(watch.state);
  const patientText = bound ? `patient ${studyCode ?? '…'}` : 'no patient yet';
  return (
    <article className="watch-card" aria-label={`Watch ${watch.name}, ${patientText}`}>
      <h3>
        {watch.name} <span className="watch-patient">— {patientText}</span>{' '}
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
        <dt>Type</dt>
        <dd>{watch.hrsOnly ? 'Heart rate only' : 'Bangle.js (full)'}</dd>
      </dl>
      <details className="diagnostics">
        <summary>Watch details</summary>
        <dl className="facts">
          <dt>Address</dt>
          <dd className="mono">{watch.address}</dd>
          <dt>Signal</dt>
          <dd>{watch.rssiDbm === null ? '—' : `${watch.rssiDbm} dBm`}</dd>
          <dt>Lines / bad / lost</dt>
          <dd>
            {watch.counters.lines} / {watch.counters.badLines} / {watch.counters.lostLines}
          </dd>
          <dt>Gaps / reconnects</dt>
          <dd>
            {watch.counters.gaps} / {watch.counters.reconnects}
          </dd>
        </dl>
      </details>
      {bound && (
        <Toolbar label={`Watch ${watch.name} controls`} className="row">
          {linked ? (
            <button
              type="button"
              disabled={call.pending}
              onClick={() => void call.run('devices.disconnectWatch', { address: watch.address })}
            >
              Disconnect
            </button>
          ) : (
            <button
              type="button"
              disabled={call.pending}
              onClick={() => void call.run('devices.reconnectWatch', { address: watch.address })}
            >
              Reconnect
            </button>
          )}
          <button
            type="button"
            className="danger"
            disabled={call.pending}
            onClick={() => setConfirmUnpair(true)}
          >
            Unpair
          </button>
        </Toolbar>
      )}
      {confirmUnpair && (
        <div className="note note-warning" role="alertdialog" aria-labelledby={`unpair-q-${watch.address}`}>
          <p id={`unpair-q-${watch.address}`}>
            Unpair {watch.name} from {patientText}? Its sensors stop and it must be paired again (with a new
            code) to record.
          </p>
          <div className="row">
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirmUnpair(false);
                void call.run('devices.unpairWatch', { address: watch.address });
              }}
            >
              Yes, unpair
            </button>
            <button type="button" autoFocus onClick={() => setConfirmUnpair(false)}>
              Keep it paired
            </button>
          </div>
        </div>
      )}
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
