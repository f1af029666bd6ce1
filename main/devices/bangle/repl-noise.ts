/**
 * Removes Espruino REPL noise from a console line before it is parsed as protocol JSON.
 *
 * The watch's console shares the UART with our lines (`bangle-stream.md` "Transport"):
 * the `>` prompt, echoed input when echo is on, and VT100 sequences — Espruino prints
 * `\r` + `ESC [ J` (erase to end of screen) before output that arrives while the prompt is
 * shown, and re-prints the prompt after it, so a data line can look like
 * `>\x1b[J{"t":"hrm",…}`. The line reassembler has already removed `\r`.
 */

/** CSI sequences (`ESC [` params final-byte), other 2-byte ESC sequences, then C0 controls except tab. */
// eslint-disable-next-line no-control-regex -- matching control bytes is the point
const CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex -- as above
const ESC_OTHER = /\x1b[@-Z\\-_]?/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** Strips VT100 sequences, control bytes and any leading prompt(s) `>`; trims whitespace. */
export function stripReplNoise(line: string): string {
  const cleaned = line.replace(CSI, '').replace(ESC_OTHER, '').replace(CONTROL, '');
  return cleaned.replace(/^(\s*>)+/, '').trim();
}

/** Classification of a cleaned console line. */
export type ConsoleLineKind = 'empty' | 'json' | 'console';

/** `json` when the cleaned line looks like an object (`{…}`), `empty` when nothing is left. */
export function classifyConsoleLine(cleaned: string): ConsoleLineKind {
  if (cleaned.length === 0) return 'empty';
  return cleaned.startsWith('{') ? 'json' : 'console';
}
