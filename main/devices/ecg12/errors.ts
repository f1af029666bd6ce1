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
