/**
 * Heart-rate corrected QT interval (QTc).
 *
 * Formulas (QT in ms, RR in s, HR = 60 / RR in bpm), as listed in ../shared/research/domain-notes.md §6.4:
 * - Bazett 1920: QTc = QT / √RR
 * - Fridericia 1920: QTc = QT / ∛RR
 * - Framingham (Sagie et al. 1992): QTc = QT + 154 × (1 − RR)   (154 ms, not 0.154: QT is in ms here)
 * - Hodges 1983: QTc = QT + 1.75 × (HR − 60)
 *
 * Check values: QT 400 ms, RR 0.8 s → Bazett 447.2, Fridericia 430.9, Framingham 430.8, Hodges 426.3.
 */

/** The QTc formulas offered. Bazett and Fridericia are shown by default; Framingham and Hodges on request. */
export type QtcFormula = 'bazett' | 'fridericia' | 'framingham' | 'hodges';

/** All formulas, in display order. */
export const QTC_FORMULAS: readonly QtcFormula[] = ['bazett', 'fridericia', 'framingham', 'hodges'];

/** Raised for a QT or RR that no formula can correct (non-finite, non-positive). */
export class QtcInputError extends Error {
  readonly code = 'QTC_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'QtcInputError';
  }
}

function check(qtMs: number, rrS: number): void {
  if (!Number.isFinite(qtMs) || qtMs <= 0)
    throw new QtcInputError(`QT must be a positive number of ms, got ${qtMs}`);
  if (!Number.isFinite(rrS) || rrS <= 0)
    throw new QtcInputError(`RR must be a positive number of s, got ${rrS}`);
}

/**
 * QTc in ms by one formula.
 * @param qtMs QT interval, ms.
 * @param rrS the RR interval the QT belongs to (or the recording's median RR), s.
 */
export function qtcMs(formula: QtcFormula, qtMs: number, rrS: number): number {
  check(qtMs, rrS);
  switch (formula) {
    case 'bazett':
      return qtMs / Math.sqrt(rrS);
    case 'fridericia':
      return qtMs / Math.cbrt(rrS);
    case 'framingham':
      return qtMs + 154 * (1 - rrS);
    case 'hodges':
      return qtMs + 1.75 * (60 / rrS - 60);
  }
}

/** QTc by every formula, ms. */
export function qtcAllMs(qtMs: number, rrS: number): Record<QtcFormula, number> {
  return {
    bazett: qtcMs('bazett', qtMs, rrS),
    fridericia: qtcMs('fridericia', qtMs, rrS),
    framingham: qtcMs('framingham', qtMs, rrS),
    hodges: qtcMs('hodges', qtMs, rrS),
  };
}
