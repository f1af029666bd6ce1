/**
 * ST level per lead at J + 60 ms, relative to the PR-segment (isoelectric) level, in µV.
 *
 * J point = the QRS offset from the delineation (global, across leads). J + 60 ms is the usual
 * measurement point at normal rates (AHA/ACCF/HRS recommendations for ECG standardisation, part VI,
 * Wagner et al., Circulation 119:e262, 2009, discuss J, J+60 and J+80); the reference level is the mean
 * of the 16 ms just before QRS onset (PR segment), so baseline offset cancels.
 */

/** ST deviation (µV) of one lead for one beat, or null when the points fall outside the signal. */
export function stLevelMicrovolts(
  leadMicrovolts: ArrayLike<number>,
  qrsOnset: number,
  qrsOffset: number,
  sampleRateHz: number,
  offsetAfterJMs = 60,
): number | null {
  const fs = sampleRateHz;
  const prFrom = qrsOnset - Math.round(0.02 * fs);
  const prTo = qrsOnset - Math.round(0.004 * fs);
  const st = qrsOffset + Math.round((offsetAfterJMs / 1000) * fs);
  if (prFrom < 0 || st >= leadMicrovolts.length) return null;
  let sum = 0;
  let count = 0;
  for (let i = prFrom; i <= prTo; i++) {
    sum += leadMicrovolts[i]!;
    count++;
  }
  const half = Math.max(0, Math.round(0.004 * fs));
  let stSum = 0;
  let stCount = 0;
  for (let i = st - half; i <= st + half; i++) {
    stSum += leadMicrovolts[i]!;
    stCount++;
  }
  return stSum / stCount - sum / count;
}
