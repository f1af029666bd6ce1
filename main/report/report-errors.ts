/**
 * Why a report cannot be made, with a stable `code` the UI and the API keep: staff see the
 * message, the code survives the gateway API (`GatewayApiError`) unchanged.
 */

/** Stable codes of {@link ReportError}. */
export type ReportErrorCode =
  /** No recording with that id on this gateway. */
  | 'recording_not_found'
  /** The recording is still being made (or waits to be continued): stop it first. */
  | 'recording_open'
  /** The recording was voided: no report is made of it. */
  | 'recording_voided'
  /** The segment staff chose does not lie inside the recorded ECG. */
  | 'segment_out_of_range'
  /** Chunks of the recording are no longer on this gateway (pruned after upload) or unreadable. */
  | 'signal_unavailable'
  /** The ECG chunks are not the unit's 8 channels at one rate (a damaged or foreign recording). */
  | 'signal_invalid';

/** See the file comment. */
export class ReportError extends Error {
  constructor(
    readonly code: ReportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ReportError';
  }
}
