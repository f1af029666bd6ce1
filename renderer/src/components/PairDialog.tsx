import { useEffect, useRef } from 'react';
import type { PairingOffer } from '../api-types.js';

interface Props {
  address: string;
  offer: PairingOffer;
  /** The patient the watch will record for. */
  studyCode: string;
  pending: boolean;
  onAnswer: (matches: boolean) => void;
}

/**
 * Staff compare the 4-digit code on the watch with the one shown here. A heart-rate-only watch
 * has no screen code: staff confirm it by name and address instead. The dialog names the patient
 * and opens with focus on its question, not on "Matches", so Enter cannot confirm unread.
 */
export function PairDialog({ address, offer, studyCode, pending, onAnswer }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d !== null && !d.open) d.showModal();
    heading.current?.focus();
    return () => d?.close();
  }, []);
  return (
    <dialog
      ref={dialog}
      className="pair-dialog"
      aria-labelledby="pair-title"
      onCancel={(e) => {
        e.preventDefault();
        onAnswer(false);
      }}
    >
      <h2 id="pair-title" ref={heading} tabIndex={-1}>
        Pair watch {offer.name} to patient {studyCode}
      </h2>
      {offer.code !== null ? (
        <>
          <p>Does the watch show this code?</p>
          <p className="pair-code" aria-label={`Code ${offer.code.split('').join(' ')}`}>
            {offer.code}
          </p>
        </>
      ) : (
        <>
          <p>
            This watch only sends heart rate and shows no code. Check it is the watch on patient {studyCode}:
          </p>
          <p className="pair-identity">
            <strong>{offer.name}</strong>
            <br />
            <span className="mono">{address}</span>
          </p>
        </>
      )}
      <div className="row">
        <button type="button" className="primary big" disabled={pending} onClick={() => onAnswer(true)}>
          {offer.code !== null ? 'Matches' : 'This is the watch'}
        </button>
        <button type="button" className="danger big" disabled={pending} onClick={() => onAnswer(false)}>
          {offer.code !== null ? 'Does not match' : 'Not this watch'}
        </button>
      </div>
    </dialog>
  );
}
