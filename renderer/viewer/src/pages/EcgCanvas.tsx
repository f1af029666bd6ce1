/**
 * The ECG page canvas: drawn with the shared page-drawing module at the CSS millimetre (true
 * 25 mm/s on a screen at 96 dpi), each draw timed with performance marks (`ecg-page-draw`) and
 * its script time kept in `data-draw-ms`. A click on a lead expands it; a click on the expanded
 * lead returns to the 12-lead page.
 */
import { useLayoutEffect, useRef } from 'react';
import type { LeadName } from '../../../../server-contract/api/index.js';
import { pxPerMm } from '../../../src/ecg/ecg-scale.js';
import {
  autoGainMmPerMv,
  pageCellAt,
  type EcgPageData,
  type EcgPageLayout,
} from '../../../src/ecg/page/index.js';
import { drawViewerPage } from '../ecg/page-canvas.js';
import type { SegmentGap } from '../ecg/page-data.js';
import { formatDateTime } from '../format.js';

/** How a page is shown. */
export interface PageView {
  startMs: number;
  durationMs: number;
  speedMmPerS: number;
  /** mm/mV, or 'auto' (chosen from the page's peak amplitude by the module). */
  gain: number | 'auto';
  expandedLead: LeadName | null;
  studyCode: string;
  simulated: boolean;
}

/** A loaded page: its signal (null where no ECG was recorded) and gaps. */
export interface PageData {
  /** The page start this data was loaded for. */
  forStartMs: number;
  durationMs: number;
  page: EcgPageData | null;
  gaps: SegmentGap[];
}

interface Props {
  view: PageView;
  data: PageData | undefined;
  onExpand: (lead: LeadName | null) => void;
}

export function EcgCanvas({ view, data, onExpand }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layout = useRef<EcgPageLayout>(null);
  useLayoutEffect(() => {
    const el = canvas.current;
    if (el === null) return;
    const current =
      data?.forStartMs === view.startMs && data.durationMs === view.durationMs ? data : undefined;
    const dpr = window.devicePixelRatio || 1;
    performance.mark('ecg-page-draw-start');
    const auto = view.gain === 'auto';
    const drawn = drawViewerPage(
      el,
      {
        data: current?.page ?? null,
        startMs: view.startMs,
        durationMs: view.durationMs,
        gaps: current?.gaps ?? [],
        options: {
          pxPerMm: pxPerMm(dpr),
          speedMmPerS: view.speedMmPerS,
          gainMmPerMv: auto ? (current?.page ? autoGainMmPerMv(current.page) : 10) : (view.gain as number),
          gainAuto: auto,
          expandedLead: view.expandedLead,
          annotations: { patientCode: view.studyCode, simulated: view.simulated, formatTime: formatDateTime },
        },
      },
      dpr,
    );
    performance.mark('ecg-page-draw-end');
    const measure = performance.measure('ecg-page-draw', 'ecg-page-draw-start', 'ecg-page-draw-end');
    layout.current = drawn.layout;
    el.style.width = `${drawn.widthCss}px`;
    el.style.height = `${drawn.heightCss}px`;
    el.dataset.drawMs = measure.duration.toFixed(2);
    el.dataset.pageStartMs = String(view.startMs);
    el.dataset.drawn = current === undefined ? 'grid' : 'page';
  }, [
    view.startMs,
    view.durationMs,
    view.speedMmPerS,
    view.gain,
    view.expandedLead,
    view.studyCode,
    view.simulated,
    data,
  ]);
  const what =
    view.expandedLead === null
      ? 'the 12 leads (3 × 4 and a lead II rhythm strip)'
      : `lead ${view.expandedLead}`;
  return (
    <div className="ecg-paper">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`ECG page showing ${what} from ${formatDateTime(view.startMs)}`}
        onClick={(e) => {
          if (layout.current === null) return;
          const dpr = window.devicePixelRatio || 1;
          const rect = e.currentTarget.getBoundingClientRect();
          const cell = pageCellAt(
            layout.current,
            (e.clientX - rect.left) * dpr,
            (e.clientY - rect.top) * dpr,
          );
          if (cell !== null) onExpand(view.expandedLead === null ? cell.lead : null);
        }}
      />
    </div>
  );
}
