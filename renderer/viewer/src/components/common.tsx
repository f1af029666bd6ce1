/** Small pieces every screen uses: the SIMULATED banner, load states and a confirmation dialog. */
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from '../api.js';

/** Unmissable on every view of simulated data. */
export function SimulatedBanner({ simulated }: { simulated: boolean | undefined }) {
  if (simulated !== true) return null;
  return (
    <p className="simulated-banner" role="note">
      <strong>SIMULATED</strong> data from the project&rsquo;s simulators — not a patient&rsquo;s recording
    </p>
  );
}

/** A small SIMULATED tag for a row of a table. */
export function SimulatedTag({ simulated }: { simulated: boolean }) {
  return simulated ? <span className="tag tag-sim">SIMULATED</span> : null;
}

export function LoadState({ loading, error }: { loading: boolean; error: string | undefined }) {
  if (error !== undefined)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (loading) return <p aria-live="polite">Loading…</p>;
  return null;
}

interface ConfirmProps {
  /** The button that opens the dialog. */
  label: string;
  title: string;
  children?: ReactNode;
  /** Ask for a reason (min 3 characters), as the audited corrections need. */
  reason?: boolean;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: (reason: string) => Promise<void>;
}

/**
 * A button that opens a modal `<dialog>` asking to confirm (with a reason when asked); the action
 * runs only on confirmation, and its error is shown inside the dialog.
 */
export function ConfirmButton(props: ConfirmProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = useId();
  useEffect(() => setError(undefined), [reason]);
  const open = () => {
    setReason('');
    setError(undefined);
    dialog.current?.showModal();
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm(reason.trim());
      dialog.current?.close();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const reasonOk = props.reason !== true || reason.trim().length >= 3;
  return (
    <>
      <button type="button" className={props.danger === true ? 'danger' : ''} onClick={open}>
        {props.label}
      </button>
      <dialog ref={dialog} aria-labelledby={`${id}-title`}>
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void confirm();
          }}
        >
          <h2 id={`${id}-title`}>{props.title}</h2>
          {props.children}
          {props.reason === true && (
            <label className="field">
              Reason (kept in the audit log)
              <textarea value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} />
            </label>
          )}
          {error !== undefined && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="buttons">
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button
              type="submit"
              className={props.danger === true ? 'danger' : 'primary'}
              disabled={busy || !reasonOk}
            >
              {props.confirmLabel}
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
