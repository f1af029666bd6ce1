/** Errors of the ECG-12 host link. Messages say which unit and what staff should do. */

/** Stable codes of {@link Ecg12Error}. */
export type Ecg12ErrorCode =
  | 'no_unit_found'
  | 'several_units'
  | 'open_failed'
  | 'unplugged'
  | 'command_timeout'
  | 'command_rejected'
  | 'bad_info'
  | 'wrong_unit'
  | 'write_failed'
  | 'stopped';

/** An ECG-12 link failure; `code` is stable, `message` is written for clinic staff. */
export class Ecg12Error extends Error {
  readonly code: Ecg12ErrorCode;
  constructor(code: Ecg12ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'Ecg12Error';
    this.code = code;
  }
}

/** `error` if it is an {@link Ecg12Error}, else a new one with `code` and `message` and `error` as its cause. */
export function asEcg12Error(error: unknown, code: Ecg12ErrorCode, message: string): Ecg12Error {
  return error instanceof Ecg12Error ? error : new Ecg12Error(code, message, { cause: error });
}
