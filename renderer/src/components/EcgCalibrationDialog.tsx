import { useEffect, useRef, useState, type PointerEvent } from 'react';
import {
  CSS_PX_PER_MM_RANGE,
  ID1_CARD_MM,
  defaultDevicePxPerMm,
  type StoredCalibration,
} from '../ecg/screen-calibration.js';

interface Props {
  /** The scale in use now, device px per mm. */
  devicePxPerMm: number;
  /** Whether a calibration is saved (else the browser's 96-dpi assumption is in use). */
  calibrated: boolean;
  /** Saves the new scale, or null to go back to the browser's assumption. */
  onSave: (value: StoredCalibration | null) => void;
  onClose: () => void;
}

/**
 * Screen calibration: staff hold a bank card to the screen and resize the outline (drag its
 * corner, or the slider / arrow keys) until it matches; from then on a millimetre on the ECG is
 * a millimetre on this monitor.
 */
export function EcgCalibrationDialog({ devicePxPerMm, calibrated, onSave, onClose }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const dpr = window.devicePixelRatio || 1;
  const [cssPxPerMm, setCssPxPerMm] = useState(devicePxPerMm / dpr);
  const drag = useRef<{ startX: number; startScale: number } | null>(null);

  useEffect(() => {
    const node = dialog.current;
    if (node !== null && !node.open) node.showModal();
    return () => node?.close();
  }, []);

  const clamp = (v: number): number =>
    Math.min(CSS_PX_PER_MM_RANGE.max, Math.max(CSS_PX_PER_MM_RANGE.min, v));
  const onPointerDown = (e: PointerEvent<HTMLDivElement>): void => {
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { startX: e.clientX, startScale: cssPxPerMm };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>): void => {
    const d = drag.current;
    if (d === null) return;
    setCssPxPerMm(clamp(d.startScale + (e.clientX - d.startX) / ID1_CARD_MM.width));
  };
  const dpi = Math.round(cssPxPerMm * dpr * 25.4);

  return (
    <dialog
      ref={dialog}
      className="ecg-calibration"
      aria-labelledby="calibration-heading"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="calibration-heading">Calibrate the screen</h2>
      <p>
        Hold a bank card ({ID1_CARD_MM.width} × {ID1_CARD_MM.height} mm) against the screen and make the
        outline exactly its size. Then 25 mm/s and 10 mm/mV on the ECG are true on this monitor.
      </p>
      <div className="calibration-stage">
        <div
          className="calibration-card"
          data-testid="calibration-card"
          style={{
            width: `${ID1_CARD_MM.width * cssPxPerMm}px`,
            height: `${ID1_CARD_MM.height * cssPxPerMm}px`,
          }}
        >
          <span>Bank card</span>
          <div
            className="calibration-handle"
            aria-hidden="true"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={() => (drag.current = null)}
          />
        </div>
      </div>
      <label className="calibration-slider">
        Card size on screen
        <input
          type="range"
          min={CSS_PX_PER_MM_RANGE.min}
          max={CSS_PX_PER_MM_RANGE.max}
          step="any"
          value={cssPxPerMm}
          aria-valuetext={`${(cssPxPerMm * dpr).toFixed(2)} pixels per millimetre`}
          onChange={(e) => setCssPxPerMm(clamp(Number(e.target.value)))}
        />
      </label>
      <p className="hint">
        {(cssPxPerMm * dpr).toFixed(2)} screen pixels per mm ({dpi} dpi).{' '}
        {calibrated ? 'This screen is calibrated.' : 'Not calibrated yet: the browser assumes 96 dpi.'}
      </p>
      <div className="row">
        <button type="button" className="primary" onClick={() => onSave({ devicePxPerMm: cssPxPerMm * dpr })}>
          Save
        </button>
        <button
          type="button"
          onClick={() => {
            setCssPxPerMm(defaultDevicePxPerMm(dpr) / dpr);
            onSave(null);
          }}
        >
          Use browser default
        </button>
        <button type="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
