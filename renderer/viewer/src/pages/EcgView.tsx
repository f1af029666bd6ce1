/**
 * The ECG of a recording, one standard page at a time: 12 leads on the pink grid (3 × 4 +
 * rhythm strip) or one expanded lead, paged with the arrow keys (or Page Up/Down) and the
 * buttons, jumped with an elapsed-time field, at a chosen speed and gain. The page start is in
 * the URL (`?t=`), so trends and events link straight to a place.
 */
import { useEffect, useState } from 'react';
import type { LeadName, Recording } from '../../../../server-contract/api/index.js';
import { SWEEP_SPEEDS_MM_PER_S } from '../../../src/ecg/ecg-scale.js';
import { AUTO_GAINS_MM_PER_MV } from '../../../src/ecg/page/index.js';
import { LoadState } from '../components/common.js';
import { STANDARD_LEAD_NAMES } from '../../../../server-contract/api/index.js';
import { EcgCanvas, type PageData, type PageView } from './EcgCanvas.js';
import { pageDurationMs } from '../ecg/page-data.js';
import { loadPage, prefetchPage } from '../ecg/page-loader.js';
import { formatDateTime, formatElapsed, parseElapsed } from '../format.js';
import { href, navigate } from '../router.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

/** The end of a recording's data: its end, else now (still recording). */
export function recordingEndMs(r: Recording): number {
  if (r.endedAtMs !== null) return r.endedAtMs;
  if (r.summary !== null) return r.startedAtMs + r.summary.durationMs;
  return Date.now();
}

export function EcgView({ recording, query }: { recording: Recording; query: URLSearchParams }) {
  const session = useSession();
  const [speed, setSpeed] = useState(25);
  const [gain, setGain] = useState<number | 'auto'>(10);
  const [expanded, setExpanded] = useState<LeadName | null>(null);
  const durationMs = pageDurationMs(speed);
  const endMs = recordingEndMs(recording);
  const lastStart = Math.max(recording.startedAtMs, endMs - durationMs);
  const requested = Number(query.get('t'));
  const startMs =
    Number.isFinite(requested) && requested > 0
      ? Math.min(Math.max(requested, recording.startedAtMs), lastStart)
      : recording.startedAtMs;
  const goTo = (t: number) =>
    navigate(
      href('recordings', recording.id, 'ecg', {
        t: Math.round(Math.min(Math.max(t, recording.startedAtMs), lastStart)),
      }),
      true,
    );

  const data = useLoad<PageData>(
    () => loadPage(session, recording.id, startMs, durationMs),
    [recording.id, startMs, durationMs],
  );
  // the next page is fetched while this one is read
  useEffect(() => {
    if (data.data !== undefined && startMs < lastStart)
      prefetchPage(session, recording.id, Math.min(startMs + durationMs, lastStart), durationMs);
  }, [data.data, session, recording.id, startMs, durationMs, lastStart]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target !== null && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
      if (e.key === 'ArrowRight' || e.key === 'PageDown') goTo(startMs + durationMs);
      else if (e.key === 'ArrowLeft' || e.key === 'PageUp') goTo(startMs - durationMs);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const pageIndex = Math.floor((startMs - recording.startedAtMs) / durationMs) + 1;
  const pageCount = Math.max(1, Math.ceil((endMs - recording.startedAtMs) / durationMs));
  const view: PageView = {
    startMs,
    durationMs,
    speedMmPerS: speed,
    gain,
    expandedLead: expanded,
    studyCode: recording.studyCode,
    simulated: recording.simulated,
  };
  return (
    <section aria-labelledby="ecg-title">
      <h2 id="ecg-title">ECG</h2>
      <div className="toolbar" role="group" aria-label="ECG page controls">
        <button
          type="button"
          onClick={() => goTo(startMs - durationMs)}
          disabled={startMs <= recording.startedAtMs}
        >
          ◀ Previous page
        </button>
        <button type="button" onClick={() => goTo(startMs + durationMs)} disabled={startMs >= lastStart}>
          Next page ▶
        </button>
        <JumpField startedAtMs={recording.startedAtMs} current={startMs} onJump={goTo} />
        <label className="field-inline">
          Speed
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SWEEP_SPEEDS_MM_PER_S.map((s) => (
              <option key={s} value={s}>{`${s} mm/s`}</option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          Gain
          <select
            value={gain}
            onChange={(e) => setGain(e.target.value === 'auto' ? 'auto' : Number(e.target.value))}
          >
            <option value="auto">Auto</option>
            {AUTO_GAINS_MM_PER_MV.map((g) => (
              <option key={g} value={g}>{`${g} mm/mV`}</option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          Lead
          <select
            value={expanded ?? ''}
            onChange={(e) => setExpanded(e.target.value === '' ? null : (e.target.value as LeadName))}
          >
            <option value="">All 12 (standard page)</option>
            {STANDARD_LEAD_NAMES.map((l) => (
              <option key={l} value={l}>{`${l} expanded`}</option>
            ))}
          </select>
        </label>
      </div>
      <p className="page-position" aria-live="polite">
        Page {pageIndex} of {pageCount} · {formatElapsed(startMs - recording.startedAtMs)}–
        {formatElapsed(startMs + durationMs - recording.startedAtMs)} elapsed · from {formatDateTime(startMs)}{' '}
        · {speed} mm/s, {gain === 'auto' ? 'automatic gain' : `${gain} mm/mV`}
        {expanded !== null && ' (the expanded lead at twice the gain)'}
      </p>
      <LoadState loading={data.loading && data.data === undefined} error={data.error} />
      {data.data !== undefined && data.data.page === null && (
        <p className="notice">No ECG was recorded on this page (a gap, or outside the ECG).</p>
      )}
      <EcgCanvas view={view} data={data.data} onExpand={setExpanded} />
      <p className="muted">
        Keys: ← / → or Page Up / Page Down turn the page. Click a lead to expand it, click again for all 12. A
        triangle marks each beat; S supraventricular, V ventricular, F fusion and Q unclassified beats are
        lettered. Grey bands are gaps: nothing was recorded there.
      </p>
    </section>
  );
}

function JumpField(props: { startedAtMs: number; current: number; onJump: (t: number) => void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  return (
    <form
      className="field-inline"
      onSubmit={(e) => {
        e.preventDefault();
        const ms = parseElapsed(text);
        if (ms === null) {
          setError('Write the elapsed time as H:MM:SS, e.g. 2:15:00');
          return;
        }
        setError(undefined);
        props.onJump(props.startedAtMs + ms);
      }}
    >
      <label className="field-inline">
        Go to (elapsed H:MM:SS)
        <input
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={formatElapsed(props.current - props.startedAtMs)}
          size={9}
          aria-invalid={error !== undefined}
          aria-describedby={error !== undefined ? 'jump-error' : undefined}
        />
      </label>
      <button type="submit">Go</button>
      {error !== undefined && (
        <span id="jump-error" className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  );
}
