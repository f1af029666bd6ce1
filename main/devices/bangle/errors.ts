/** Errors of the Bangle.js link. Messages are written for clinic staff. */

/** Stable codes for {@link BangleError}. */
export type BangleErrorCode =
  | 'PROGRAMMABLE_OFF'
  | 'VERSION_MISMATCH'
  | 'CALL_TIMEOUT'
  | 'CALL_FAILED'
  | 'NO_UART'
  | 'NO_HEART_RATE_SERVICE'
  | 'NOT_FOUND'
  | 'NOT_PAIRING'
  | 'LINK_LOST';

/** A watch-level failure with a stable code and a staff-readable message. */
export class BangleError extends Error {
  constructor(
    readonly code: BangleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BangleError';
  }
}

/** What staff see when the watch ignores the program upload ("Programmable" off). */
export function programmableOffMessage(watchName: string): string {
  return (
    `${watchName} does not answer. On the watch, open Settings → Bluetooth and set "Programmable" to On, ` +
    'then pair again.'
  );
}
