import type { ShownError } from '../errors.js';

/** A call's failure, shown where the call was made, in words (the code is kept for IT and tests). */
export function ErrorNote({ error, what }: { error: ShownError | null; what?: string }) {
  if (error === null) return null;
  return (
    <p role="alert" className="note note-error" data-code={error.code ?? undefined}>
      <strong>{what !== undefined ? `${what} failed: ` : 'Error: '}</strong>
      {error.message}
    </p>
  );
}
