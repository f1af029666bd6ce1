import { useEffect, useRef, useState } from 'react';
import { LEADS, type LeadName } from '../api-types.js';
import { CALIBRATION_MARGIN_MM, drawTraces, paintGrid } from '../ecg/draw-ecg.js';
import { pxPerMm } from '../ecg/ecg-scale.js';
import { EcgStream } from '../ecg/ecg-stream.js';
import { cellAt, expandedLayout, standardLayout, type LeadCell } from '../ecg/lead-layout.js';
import { SweepClock } from '../ecg/sweep-clock.js';
import { createTracePoints } from '../ecg/sweep-trace.js';
import { gateway } from '../gateway.js';
import { EcgToolbar } from './EcgToolbar.js';
import { EcgStatusLine, type EcgLiveStatus } from './EcgStatusLine.js';

/** Silence after which the view says the signal has stopped, ms. */
const NO_SIGNAL_AFTER_MS = 2000;

interface Props {
  sweepMmPerS: number;
  gainMmPerMv: number;
  /** Per-lead signal quality of the connected unit (written on each lead's cell). */
  quality: Partial<Record<LeadName, string>>;
  onChange: (patch: { sweepSpeedMmPerS?: 12.5 | 25 | 50; gainMmPerMv?: 5 | 10 | 20 }) => void;
}

interface Surface {
  widthPx: number;
  heightPx: number;
  dpr: number;
  cells: LeadCell[];
  grid: HTMLCanvasElement;
}

/**
 * The live 12-lead view: one <canvas>, redrawn by requestAnimationFrame from ring buffers that
 * `ecg.received` fills. React renders the frame around it, never per batch.
 */
export function EcgView({ sweepMmPerS, gainMmPerMv, quality, onChange }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stream = useRef(new EcgStream());
  const clock = useRef(new SweepClock(1000));
  const display = useRef({ sweepMmPerS, gainMmPerMv, quality, expanded: null as LeadName | null });
  const surface = useRef<Surface | null>(null);
  const [expanded, setExpanded] = useState<LeadName | null>(null);
  const [live, setLive] = useState<EcgLiveStatus>({
    state: 'waiting',
    rateHz: null,
    serial: null,
    silenceS: 0,
  });
  display.current = { sweepMmPerS, gainMmPerMv, quality, expanded };

  useEffect(() => {
    let generation = stream.current.generation;
    return gateway().on('ecg.received', (batch) => {
      const latest = stream.current.ingest(batch);
      if (stream.current.generation !== generation) {
        generation = stream.current.generation;
        clock.current.reset(batch.sampleRateHz);
      }
      clock.current.observe(latest, performance.now());
    });
  }, []);

  useEffect(() => {
    const id = window.setInterval(() => {
      const silenceMs = clock.current.silenceMs(performance.now());
      const s = stream.current;
      const state = s.ring === null ? 'waiting' : silenceMs > NO_SIGNAL_AFTER_MS ? 'stopped' : 'live';
      const next = {
        state,
        rateHz: s.ring === null ? null : s.sampleRateHz,
        serial: s.ring === null ? null : s.deviceSerial,
        silenceS: Math.floor(silenceMs / 1000),
      } as const;
      setLive((prev) =>
        prev.state === next.state &&
        prev.rateHz === next.rateHz &&
        prev.serial === next.serial &&
        (next.state !== 'stopped' || prev.silenceS === next.silenceS)
          ? prev
          : next,
      );
    }, 500);
    return () => window.clearInterval(id);
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d') ?? null;
    if (canvas === null || ctx === null) return;
    const points = createTracePoints(16_384);
    let frame = 0;
    const draw = (): void => {
      frame = requestAnimationFrame(draw);
      const s = ensureSurface(canvas, surface, display.current.expanded);
      if (s === null) return;
      ctx.drawImage(s.grid, 0, 0);
      drawTraces({
        ctx,
        cells: s.cells,
        scale: pxPerMm(s.dpr),
        dpr: s.dpr,
        sweepMmPerS: display.current.sweepMmPerS,
        gainMmPerMv: display.current.gainMmPerMv,
        quality: display.current.quality,
        stream: stream.current,
        headIndex: clock.current.head(performance.now()),
        points,
      });
    };
    frame = requestAnimationFrame(draw);
    return () => cancelAnimationFrame(frame);
  }, []);

  const onCanvasClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    const s = surface.current;
    if (s === null) return;
    if (expanded !== null) {
      setExpanded(null);
      return;
    }
    const rect = e.currentTarget.getBoundingClientRect();
    const cell = cellAt(s.cells, (e.clientX - rect.left) * s.dpr, (e.clientY - rect.top) * s.dpr);
    if (cell !== null) setExpanded(cell.lead);
  };

  const description = `${expanded === null ? 'Live 12-lead ECG, standard 3 by 4 layout with lead II rhythm strip' : `Live ECG, lead ${expanded} expanded`}, ${sweepMmPerS} mm/s, ${gainMmPerMv} mm/mV${qualityNote(quality)}`;
  return (
    <section
      className="panel ecg-panel"
      aria-labelledby="ecg-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && expanded !== null) setExpanded(null);
      }}
    >
      <div className="panel-head">
        <h2 id="ecg-heading">{expanded === null ? 'Live ECG — 12 leads' : `Live ECG — lead ${expanded}`}</h2>
        <EcgStatusLine status={live} />
      </div>
      <EcgToolbar
        sweepMmPerS={sweepMmPerS}
        gainMmPerMv={gainMmPerMv}
        expanded={expanded}
        leads={LEADS}
        onChange={onChange}
        onExpand={setExpanded}
      />
      <div className="ecg-canvas-wrap">
        <canvas
          ref={canvasRef}
          className={expanded === null ? 'ecg-canvas' : 'ecg-canvas expanded'}
          role="img"
          aria-label={description}
          onClick={onCanvasClick}
        />
        {live.state !== 'live' && (
          <div className="ecg-overlay" aria-hidden="true">
            {live.state === 'waiting' ? 'Waiting for ECG from the unit…' : `No signal for ${live.silenceS} s`}
          </div>
        )}
      </div>
    </section>
  );
}

/** Sizes the canvas to its box (device pixels) and repaints the cached grid when that changes. */
function ensureSurface(
  canvas: HTMLCanvasElement,
  ref: { current: Surface | null },
  expanded: LeadName | null,
): Surface | null {
  const dpr = window.devicePixelRatio || 1;
  const widthPx = Math.round(canvas.clientWidth * dpr);
  const heightPx = Math.round(canvas.clientHeight * dpr);
  if (widthPx === 0 || heightPx === 0) return null;
  const current = ref.current;
  const layoutKey = expanded ?? '';
  if (
    current !== null &&
    current.widthPx === widthPx &&
    current.heightPx === heightPx &&
    current.dpr === dpr &&
    (current.cells.length === 1 ? current.cells[0]?.lead : '') === layoutKey
  )
    return current;
  canvas.width = widthPx;
  canvas.height = heightPx;
  const scale = pxPerMm(dpr);
  const margin = Math.round(CALIBRATION_MARGIN_MM * scale);
  const cells =
    expanded === null
      ? standardLayout(widthPx, heightPx, margin)
      : expandedLayout(expanded, widthPx, heightPx, margin);
  const grid = current?.grid ?? document.createElement('canvas');
  paintGrid(grid, widthPx, heightPx, scale);
  ref.current = { widthPx, heightPx, dpr, cells, grid };
  return ref.current;
}

/** Leads whose signal is not good, for the canvas's text description. */
function qualityNote(quality: Partial<Record<LeadName, string>>): string {
  const poor = LEADS.filter((lead) => quality[lead] !== undefined && quality[lead] !== 'good');
  if (poor.length === 0) return '';
  return `; ${poor.map((lead) => `${lead} ${(quality[lead] ?? '').replace('_', ' ')}`).join(', ')}`;
}
