/**
 * Consistency check of the six limb leads (I, II, III, aVR, aVL, aVF), which Einthoven's and Goldberger's
 * relations tie together: III = II − I, aVR = −(I + II)/2, aVL = I − II/2, aVF = II − I/2. A record whose
 * stored leads break these relations has wrong per-lead scales (a mis-stated gain in a file header, a
 * mis-calibrated channel). The check fits one multiplicative correction per lead (lead I fixed at 1, so
 * the absolute scale stays the header's) by linear least squares on baseline-free signals; the frontal axis,
 * which depends only on the ratio of leads, is then exact again.
 *
 * Our own device records I and II and derives the other four, so its records are consistent by
 * construction; this matters for imported 12-lead files.
 */

/** Result of {@link fitLimbLeadGains}. */
export interface LimbLeadGainFit {
  /** Corrections to multiply each lead by, order I, II, III, aVR, aVL, aVF (I = 1). */
  readonly gains: readonly number[];
  /** RMS of the four relations' residuals over RMS of the leads, before and after correction (0 = exact). */
  readonly relativeResidualBefore: number;
  readonly relativeResidualAfter: number;
}

/** Relative residual above which the limb leads are called inconsistent. */
export const LIMB_INCONSISTENCY_THRESHOLD = 0.05;

type Row = [number, number, number, number, number];

/** Rows a·u = b of the four relations for one sample, with u = [gII, gIII, gaVR, gaVL, gaVF]. */
function relations(
  i: number,
  ii: number,
  iii: number,
  avr: number,
  avl: number,
  avf: number,
): [Row, number][] {
  return [
    [[-ii, iii, 0, 0, 0], -i],
    [[ii / 2, 0, avr, 0, 0], -i / 2],
    [[ii / 2, 0, 0, avl, 0], i],
    [[-ii, 0, 0, 0, avf], -i / 2],
  ];
}

function residual(leads: readonly ArrayLike<number>[], g: readonly number[]): number {
  const n = leads[0]!.length;
  let r2 = 0;
  let s2 = 0;
  for (let k = 0; k < n; k++) {
    const v = leads.map((lead, l) => lead[k]! * g[l]!);
    const [i, ii, iii, avr, avl, avf] = v as [number, number, number, number, number, number];
    r2 +=
      (iii - (ii - i)) ** 2 +
      (avr + (i + ii) / 2) ** 2 +
      (avl - (i - ii / 2)) ** 2 +
      (avf - (ii - i / 2)) ** 2;
    s2 += i * i + ii * ii + iii * iii + avr * avr + avl * avl + avf * avf;
  }
  return s2 > 0 ? Math.sqrt(r2 / s2) : 0;
}

/** Solves the 5×5 system A x = b by Gaussian elimination with partial pivoting; null if singular. */
function solve(a: number[][], b: number[]): number[] | null {
  const n = b.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) < 1e-12) return null;
    [a[c], a[p]] = [a[p]!, a[c]!];
    [b[c], b[p]] = [b[p]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k] = a[r]![k]! - f * a[c]![k]!;
      b[r] = b[r]! - f * b[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}

/**
 * Fits per-lead scale corrections of the six limb leads.
 * @param limbLeads baseline-free leads in order I, II, III, aVR, aVL, aVF (same length, any common unit).
 * @returns the fit, or null when the system is degenerate (e.g. flat leads).
 */
export function fitLimbLeadGains(limbLeads: readonly ArrayLike<number>[]): LimbLeadGainFit | null {
  if (limbLeads.length !== 6) return null;
  const ata = Array.from({ length: 5 }, () => new Array<number>(5).fill(0));
  const atb = new Array<number>(5).fill(0);
  const n = limbLeads[0]!.length;
  for (let k = 0; k < n; k++) {
    const [i, ii, iii, avr, avl, avf] = limbLeads.map((l) => l[k]!) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (const [row, rhs] of relations(i, ii, iii, avr, avl, avf)) {
      for (let r = 0; r < 5; r++) {
        atb[r] = atb[r]! + row[r]! * rhs;
        for (let c = 0; c < 5; c++) ata[r]![c] = ata[r]![c]! + row[r]! * row[c]!;
      }
    }
  }
  const u = solve(ata, atb);
  if (u === null || u.some((g) => !(g > 0) || !Number.isFinite(g))) return null;
  const gains = [1, ...u];
  return {
    gains,
    relativeResidualBefore: residual(limbLeads, [1, 1, 1, 1, 1, 1]),
    relativeResidualAfter: residual(limbLeads, gains),
  };
}
