import type { ShownError } from '../errors.js';

/** A call's failure, shown where the call was made. `not_available` reads as a notice, not a fault. */
export function ErrorNote({ error, what }: { error: ShownError | null; what?: string }) {
  if (error === null) return null;
  const unavailable = error.code === 'not_available';
  return (
    <p role="alert" className={unavailable ? 'note note-unavailable' : 'note note-error'}>
      <strong>{unavailable ? 'Not available: ' : what !== undefined ? `${what} failed: ` : 'Error: '}</strong>
      {error.message}
      {error.code !== null && <span className="note-code"> [{error.code}]</span>}
    </p>
  );
}
