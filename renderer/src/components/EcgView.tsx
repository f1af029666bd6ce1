import { useEffect, useRef, useState } from 'react';
import '../ecg/ecg-view.css';
import { LEADS, type LeadName } from '../api-types.js';
import { EcgStream } from '../ecg/ecg-stream.js';
import { LiveEcgPainter, type DrawnSummary, type LiveDisplay } from '../ecg/live-painter.js';
import { pageCellAt } from '../ecg/page/index.js';
import {
  AUTO_GAIN_KEY,
  effectiveDevicePxPerMm,
  loadCalibration,
  saveCalibration,
  type StoredCalibration,
} from '../ecg/screen-calibration.js';
import { SweepClock } from '../ecg/sweep-clock.js';
import { gateway } from '../gateway.js';
import { EcgCalibrationDialog } from './EcgCalibrationDialog.js';
import { EcgToolbar, type GainChoice } from './EcgToolbar.js';
import { EcgStatusLine, type EcgLiveStatus } from './EcgStatusLine.js';
import { useEcgLiveStatus } from './use-ecg-live-status.js';

interface Props {
  sweepMmPerS: number;
  gainMmPerMv: number;
  /** Per-lead signal quality of the connected unit (written on each lead's cell). */
  quality: Partial<Record<LeadName, string>>;
  onChange: (patch: { sweepSpeedMmPerS?: 12.5 | 25 | 50; gainMmPerMv?: 5 | 10 | 20 }) => void;
  /** Study code of the patient being recorded, printed on the page. */
  patientCode?: string | null;
  /** The ECG-12 unit's state; going to 'disconnected' clears the trace (no stale signal on screen). */
  unitState?: string | null;
}

/**
 * The live 12-lead view: a standard page (3 × 4 consecutive 2.5-s segments + 10-s lead II rhythm
 * strip) at true paper speed on a calibrated screen, redrawn by `LiveEcgPainter` from ring
 * buffers that `ecg.received` fills. React renders the frame around it, never per batch.
 */
export function EcgView(props: Props) {
  const { sweepMmPerS, gainMmPerMv, quality, onChange } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stream = useRef(new EcgStream());
  const clock = useRef(new SweepClock(1000));
  const painter = useRef<LiveEcgPainter | null>(null);
  const [expanded, setExpanded] = useState<LeadName | null>(null);
  const [autoGain, setAutoGain] = useState(() => readFlag(AUTO_GAIN_KEY));
  const [calibration, setCalibration] = useState<StoredCalibration | null>(() =>
    loadCalibration(localStorage),
  );
  const [calibrating, setCalibrating] = useState(false);
  const [drawn, setDrawn] = useState<DrawnSummary | null>(null);
  const live: EcgLiveStatus = useEcgLiveStatus(stream.current, clock.current);
  const dpr = window.devicePixelRatio || 1;
  const display: LiveDisplay = {
    devicePxPerMm: effectiveDevicePxPerMm(calibration, dpr),
    speedMmPerS: sweepMmPerS,
    gain: autoGain ? 'auto' : gainMmPerMv,
    expandedLead: expanded,
    patientCode: props.patientCode ?? null,
    leadNotes: leadNotes(quality),
  };
  if (painter.current !== null) painter.current.display = display;

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
    const canvas = canvasRef.current;
    if (canvas === null) return;
    const p = new LiveEcgPainter(canvas, stream.current, clock.current, display, setDrawn);
    painter.current = p;
    return () => {
      p.dispose();
      painter.current = null;
    };
    // the painter reads `display` from the ref on every frame
  }, []);

  // a unit that goes from connected to disconnected leaves no stale trace on screen
  const previousUnitState = useRef(props.unitState);
  useEffect(() => {
    const was = previousUnitState.current;
    previousUnitState.current = props.unitState;
    if (props.unitState === 'disconnected' && was !== 'disconnected' && was !== null && was !== undefined) {
      stream.current.ring?.clear();
      painter.current?.invalidate();
    }
  }, [props.unitState]);

  useEffect(() => {
    const onResize = (): void => painter.current?.invalidate();
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);

  const onCanvasClick = (e: React.MouseEvent<HTMLCanvasElement>): void => {
    if (drawn === null) return;
    if (expanded !== null) {
      setExpanded(null);
      return;
    }
    const rect = e.currentTarget.getBoundingClientRect();
    const scale = e.currentTarget.width / rect.width;
    const cell = pageCellAt(drawn.layout, (e.clientX - rect.left) * scale, (e.clientY - rect.top) * scale);
    if (cell !== null) setExpanded(cell.lead);
  };

  const choose = (gain: GainChoice): void => {
    setAutoGain(gain === 'auto');
    writeFlag(AUTO_GAIN_KEY, gain === 'auto');
    if (gain !== 'auto') onChange({ gainMmPerMv: gain });
  };

  const gainText = drawn === null ? '' : `${autoGain ? 'auto gain ' : ''}${drawn.gainMmPerMv} mm/mV`;
  const description = `${expanded === null ? 'Live 12-lead ECG, standard page: 3 by 4 consecutive 2.5-second segments with a 10-second lead II rhythm strip' : `Live ECG, lead ${expanded} expanded over 10 seconds`}, ${sweepMmPerS} mm/s, ${gainText}${qualityNote(quality)}`;
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
        gain={autoGain ? 'auto' : gainMmPerMv}
        autoGainMmPerMv={autoGain ? (drawn?.gainMmPerMv ?? null) : null}
        expanded={expanded}
        leads={LEADS}
        onSpeed={(speed) => onChange({ sweepSpeedMmPerS: speed })}
        onGain={choose}
        onExpand={setExpanded}
        onCalibrate={() => setCalibrating(true)}
      />
      {/* focusable so the page can be scrolled by keyboard when it is wider than the panel */}
      <div className="ecg-canvas-wrap" tabIndex={0} role="group" aria-label="ECG page at true size">
        <canvas
          ref={canvasRef}
          className={expanded === null ? 'ecg-canvas' : 'ecg-canvas expanded'}
          role="img"
          aria-label={description}
          data-page={drawn === null ? undefined : pageData(drawn)}
          onClick={onCanvasClick}
        />
        {live.state !== 'live' && (
          <div className="ecg-overlay" aria-hidden="true">
            {live.state === 'waiting'
              ? 'Waiting for ECG from the unit…'
              : props.unitState === 'disconnected'
                ? 'Unit disconnected — no signal'
                : `No signal for ${live.silenceS} s`}
          </div>
        )}
      </div>
      {calibrating && (
        <EcgCalibrationDialog
          devicePxPerMm={display.devicePxPerMm}
          calibrated={calibration !== null}
          onClose={() => setCalibrating(false)}
          onSave={(value) => {
            saveCalibration(localStorage, value);
            setCalibration(value);
            setCalibrating(false);
          }}
        />
      )}
    </section>
  );
}

/** The drawn geometry and header, for tests and tools (`data-page` on the canvas). */
function pageData(drawn: DrawnSummary): string {
  const { layout } = drawn;
  return JSON.stringify({
    pxPerMm: layout.pxPerMm,
    speedMmPerS: layout.speedMmPerS,
    gainMmPerMv: layout.gainMmPerMv,
    durationMs: layout.durationMs,
    printed: drawn.printed.filter((item) => !/^\d{4}-\d\d-\d\d /.test(item)),
    rows: layout.rows,
    cells: layout.cells.map((c) => ({
      lead: c.lead,
      rhythm: c.rhythm,
      startOffsetMs: c.startOffsetMs,
      durationMs: c.durationMs,
      x: c.x,
      y: c.y,
      width: c.width,
      height: c.height,
    })),
  });
}

function leadNotes(quality: Partial<Record<LeadName, string>>): Partial<Record<LeadName, string>> {
  const notes: Partial<Record<LeadName, string>> = {};
  for (const lead of LEADS) {
    const q = quality[lead];
    if (q !== undefined && q !== 'good') notes[lead] = q === 'lead_off' ? 'LEAD OFF' : q.toUpperCase();
  }
  return notes;
}

/** Leads whose signal is not good, for the canvas's text description. */
function qualityNote(quality: Partial<Record<LeadName, string>>): string {
  const poor = LEADS.filter((lead) => quality[lead] !== undefined && quality[lead] !== 'good');
  if (poor.length === 0) return '';
  return `; ${poor.map((lead) => `${lead} ${(quality[lead] ?? '').replace('_', ' ')}`).join(', ')}`;
}

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === 'true';
  } catch {
    return false;
  }
}

function writeFlag(key: string, value: boolean): void {
  try {
    localStorage.setItem(key, String(value));
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}
