/**
 * Gateway errors as staff read them. A call's error carries a stable `code` (e.g. `not_available`)
 * and a message; anything else is shown by its message.
 */

export interface ShownError {
  code: string | null;
  message: string;
}

/** Extracts code and message from whatever a gateway call rejected with. */
export function toShownError(error: unknown): ShownError {
  if (typeof error === 'object' && error !== null) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
    const message =
      'message' in error && typeof error.message === 'string' ? error.message : JSON.stringify(error);
    return { code, message };
  }
  return { code: null, message: String(error) };
}

/** One line: the message, with the code in brackets when it adds something. */
export function errorLine(error: ShownError): string {
  return error.code === null ? error.message : `${error.message} (${error.code})`;
}
