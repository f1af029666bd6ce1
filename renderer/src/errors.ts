/**
 * Gateway errors as staff read them. A call's error carries a stable `code` (kept for tests and
 * IT, not shown) and a message; the gateway's input check (`invalid_input`, "call: field: what")
 * is rewritten to name the field in words, never as a list of schema issues.
 */

export interface ShownError {
  code: string | null;
  message: string;
}

/** Words for fields the gateway may name in an `invalid_input` message. */
const FIELD_WORDS: Readonly<Record<string, string>> = {
  studyCode: 'Study code',
  ageYears: 'Age',
  studyGroup: 'Study group',
  ecgChunkSeconds: 'ECG chunk length',
  watchAccelHz: 'Watch accelerometer rate',
  serverUrl: 'Server address',
  code: 'Enrollment code',
  pin: 'PIN',
  name: 'Name',
  note: 'Note',
  caBundlePath: 'CA bundle file',
  lockAfterMinutes: 'Lock after',
};

/** `patients.create: studyCode: Too big…; ageYears: …` → `Study code: too big…. Age: ….` */
export function plainInvalidInput(message: string): string {
  const body = message.replace(/^[a-z]+\.[A-Za-z]+: /, '');
  return body
    .split('; ')
    .map((part) => {
      const [path, ...rest] = part.split(': ');
      const what = rest.join(': ');
      if (path === undefined || what === '') return part;
      const word = FIELD_WORDS[path.split('.').pop() ?? path] ?? path;
      return `${word}: ${what.charAt(0).toLowerCase()}${what.slice(1)}`;
    })
    .join('. ');
}

/** Extracts code and message from whatever a gateway call rejected with. */
export function toShownError(error: unknown): ShownError {
  if (typeof error === 'object' && error !== null) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
    const raw =
      'message' in error && typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return { code, message: code === 'invalid_input' ? plainInvalidInput(raw) : raw };
  }
  return { code: null, message: String(error) };
}

/** One line: the message as staff read it. */
export function errorLine(error: ShownError): string {
  return error.message;
}
