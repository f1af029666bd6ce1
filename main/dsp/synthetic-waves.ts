/**
 * Wave tables of the synthetic ECG: the five Gaussian terms (P, Q, R, S, T) of McSharry et al.'s ECGSYN
 * (IEEE TBME 50(3):289–294, 2003) with per-lead amplitudes for the 8 acquired leads, for a normal sinus
 * beat, a premature atrial beat and a premature ventricular beat.
 *
 * Angles θᵢ (rad, R at 0) and widths bᵢ (rad) follow ECGSYN's defaults (θ = −π/3, −π/12, 0, π/12, π/2;
 * b = 0.25, 0.1, 0.1, 0.1, 0.4) with Q and S moved in to ±π/18 and the QRS terms narrowed, so that the
 * QRS lasts about 90 ms on the 1-s time scale the generator uses for Q, R and S. Amplitudes are given directly as the
 * wave's peak in mV (the model's aᵢ = peak / bᵢ²), chosen as typical adult values per lead (e.g. P 0.1–0.15 mV
 * in II, R 1–1.4 mV in V4–V5, S-dominant V1–V2, upright T except V1): illustrative, not a patient.
 */

/** Beat classes the generator inserts (AAMI letters: N normal, S supraventricular ectopic, V ventricular ectopic). */
export type SyntheticBeatClass = 'N' | 'S' | 'V';

/** One beat type: five Gaussian terms shared by all leads, and each lead's peak amplitudes (mV). */
export interface WaveTable {
  /** Wave centres, rad, P Q R S T (R at 0). */
  readonly thetaRad: readonly number[];
  /** Wave widths (Gaussian σ in phase), rad. */
  readonly widthRad: readonly number[];
  /** Per acquired lead (I, II, V1–V6), the peak of each wave, mV. */
  readonly peakMillivolts: readonly (readonly number[])[];
}

const PI = Math.PI;

/** Normal sinus beat. */
export const NORMAL_BEAT: WaveTable = {
  thetaRad: [-PI / 3, -PI / 18, 0, PI / 18, PI / 2],
  widthRad: [0.2, 0.05, 0.06, 0.05, 0.4],
  peakMillivolts: [
    [0.08, -0.05, 0.6, -0.1, 0.2], // I
    [0.15, -0.08, 1.1, -0.2, 0.3], // II
    [0.06, 0, 0.25, -0.9, 0.05], // V1
    [0.08, 0, 0.5, -1.3, 0.4], // V2
    [0.08, 0, 0.9, -0.9, 0.45], // V3
    [0.08, -0.05, 1.4, -0.5, 0.4], // V4
    [0.08, -0.08, 1.3, -0.25, 0.3], // V5
    [0.08, -0.08, 1.0, -0.1, 0.25], // V6
  ],
};

/** Premature atrial beat: normal QRS-T, a smaller ectopic P (negative in the inferior lead). */
export const ATRIAL_PREMATURE_BEAT: WaveTable = {
  ...NORMAL_BEAT,
  peakMillivolts: NORMAL_BEAT.peakMillivolts.map((lead, l) => [
    l === 1 ? -0.08 : lead[0]! * 0.5,
    lead[1]!,
    lead[2]!,
    lead[3]!,
    lead[4]!,
  ]),
};

/**
 * Premature ventricular beat: no P wave, a wide QRS (≈ 150 ms: wider terms, S moved later) of left-ventricular
 * origin (tall R in V1–V3), and a T wave opposite to the main QRS deflection.
 */
export const VENTRICULAR_PREMATURE_BEAT: WaveTable = {
  thetaRad: [-PI / 3, -PI / 10, 0, PI / 9, PI / 2],
  widthRad: [0.2, 0.12, 0.13, 0.14, 0.45],
  peakMillivolts: [
    [0, 0, 0.9, -0.2, -0.35], // I
    [0, 0, -0.3, -0.8, 0.35], // II
    [0, 0, 1.2, -0.1, -0.4], // V1
    [0, 0, 1.3, -0.2, -0.45], // V2
    [0, 0, 1.0, -0.4, -0.35], // V3
    [0, 0, 0.6, -0.8, 0.2], // V4
    [0, 0, 0.3, -1.0, 0.3], // V5
    [0, 0, 0.2, -0.9, 0.3], // V6
  ],
};

/** The table for a beat class. */
export function waveTableFor(beatClass: SyntheticBeatClass): WaveTable {
  return beatClass === 'V'
    ? VENTRICULAR_PREMATURE_BEAT
    : beatClass === 'S'
      ? ATRIAL_PREMATURE_BEAT
      : NORMAL_BEAT;
}
