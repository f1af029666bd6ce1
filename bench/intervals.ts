/**
 * `npm run bench -- intervals [--data DIR] [--beats detector|reference] [--records 1,2,3] [--rates 250,128,80]`
 *
 * PR, QRS and QT against the LUDB cardiologists' delineation, and the frontal axis against ludb.csv,
 * as ../shared/data/README.md defines them: the reference per beat is global (earliest onset, latest
 * offset marked across the 12 leads), PR = P onset → QRS onset, QRS = onset → offset, QT = QRS onset →
 * T offset, median per record; mean difference (ours − reference) and its SD over records. PR only where
 * P waves are marked and the rhythm is not atrial fibrillation or flutter; paced records (ludb.csv,
 * "Cardiac pacing") reported separately. Axis: against the axis computed from the cardiologists' own
 * delineation (per beat, net area of leads I and aVF in raw counts between the global QRS onset and
 * offset, baseline the value at onset, atan2(aVF × 2/√3, I); median over beats): median absolute
 * difference and share of records within 10°; agreement with the csv's three classes (blank entries
 * left out) as detail.
 *
 * Ours: the project's own pipeline end to end — detectQrs on the 12 leads, then measureRecording
 * (per-recording medians over normal beats). `--beats reference` starts from the reference QRS peaks
 * instead (to separate detection from delineation errors). `--rates` repeats the interval and axis
 * comparison after resampling every record (default 250, 128 and 80 Hz; 80 Hz is reported, not
 * targeted; keys with the rate as suffix, `qrsSdMs80`, `axisWithin10Pct80`, …); pass `--rates ''` to skip.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WfdbAnnotation } from '../server-contract/formats/wfdb.js';
import { loadWfdbAnnotations, loadWfdbRecord } from '../main/devices/record-files.js';
import { classifyAxis, type AxisClass } from '../main/dsp/axis.js';
import { measureRecording, type Measured } from '../main/dsp/measure.js';
import { detectQrs } from '../main/dsp/qrs.js';
import { convertSampleIndex, resample } from '../main/dsp/resample.js';
import { databaseDir, parseOptions, printHeadline, rateList } from './_common.js';

export const LUDB_LEADS = ['i', 'ii', 'iii', 'avr', 'avl', 'avf', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6'];

export interface Wave {
  onset: number | undefined;
  peak: number;
  offset: number | undefined;
  symbol: string;
}

interface CsvInfo {
  rhythm: string;
  axis: AxisClass | undefined;
  paced: boolean;
}

/** Minimal RFC 4180 reader (quoted fields may hold commas and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

function axisClassOf(text: string): AxisClass | undefined {
  const t = text.toLowerCase();
  if (t.includes('left axis deviation')) return 'left';
  if (t.includes('right axis deviation')) return 'right';
  if (t.includes('normal') || t.includes('horizontal') || t.includes('vertical')) return 'normal';
  return undefined;
}

function readCsv(path: string): Map<string, CsvInfo> {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  const col = (name: string): number => header!.findIndex((h) => h.trim() === name);
  const [id, rhythm, axis, pacing] = [
    col('ID'),
    col('Rhythms'),
    col('Electric axis of the heart'),
    col('Cardiac pacing'),
  ];
  const out = new Map<string, CsvInfo>();
  for (const r of rows) {
    if (r[id] === undefined || r[id].trim() === '') continue;
    out.set(r[id].trim(), {
      rhythm: (r[rhythm] ?? '').trim(),
      axis: axisClassOf(r[axis] ?? ''),
      paced: (r[pacing] ?? '').trim() !== '',
    });
  }
  return out;
}

/** Waves of one lead's annotation file: `(` onset, peak symbol, `)` offset. */
export function waves(annotations: readonly WfdbAnnotation[]): Wave[] {
  const out: Wave[] = [];
  annotations.forEach((a, i) => {
    if (a.symbol === '(' || a.symbol === ')') return;
    const before = annotations[i - 1];
    const after = annotations[i + 1];
    out.push({
      onset: before?.symbol === '(' ? before.sample : undefined,
      peak: a.sample,
      offset: after?.symbol === ')' ? after.sample : undefined,
      symbol: a.symbol,
    });
  });
  return out;
}

function median(values: readonly number[]): number {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export interface Reference {
  qrsPeaks: number[];
  /** Global QRS onset and offset of each beat that has both (samples). */
  qrsBounds: [number, number][];
  prMs: number;
  qrsMs: number;
  qtMs: number;
}

/** The README's global reference: per beat across the 12 leads, then the median per record. */
export function reference(perLead: readonly Wave[][], fs: number): Reference {
  const peaks = perLead
    .flatMap((w) => w.filter((x) => x.symbol === 'N').map((x) => x.peak))
    .sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const p of peaks) {
    const last = clusters[clusters.length - 1];
    if (last !== undefined && p - last[0]! < 0.15 * fs) last.push(p);
    else clusters.push([p]);
  }
  const beats = clusters.map((c) => median(c));
  const pr: number[] = [];
  const qrs: number[] = [];
  const qt: number[] = [];
  const qrsBounds: [number, number][] = [];
  beats.forEach((b, k) => {
    const prev = beats[k - 1] ?? -Infinity;
    const next = beats[k + 1] ?? Infinity;
    let on = Infinity;
    let off = -Infinity;
    let pOn = Infinity;
    let tOff = -Infinity;
    for (const lead of perLead) {
      const q = lead.find((w) => w.symbol === 'N' && Math.abs(w.peak - b) < 0.15 * fs);
      if (q?.onset !== undefined) on = Math.min(on, q.onset);
      if (q?.offset !== undefined) off = Math.max(off, q.offset);
      const p = lead.filter((w) => w.symbol === 'p' && w.peak < b && w.peak > prev).pop();
      if (p?.onset !== undefined) pOn = Math.min(pOn, p.onset);
      const t = lead.find((w) => w.symbol === 't' && w.peak > b && w.peak < next);
      if (t?.offset !== undefined) tOff = Math.max(tOff, t.offset);
    }
    const ms = (d: number): number => (d * 1000) / fs;
    if (Number.isFinite(on) && Number.isFinite(pOn)) pr.push(ms(on - pOn));
    if (Number.isFinite(on) && Number.isFinite(off)) {
      qrs.push(ms(off - on));
      qrsBounds.push([on, off]);
    }
    if (Number.isFinite(on) && Number.isFinite(tOff)) qt.push(ms(tOff - on));
  });
  return {
    qrsPeaks: beats.map(Math.round),
    qrsBounds,
    prMs: median(pr),
    qrsMs: median(qrs),
    qtMs: median(qt),
  };
}

/**
 * The README's reference axis: per beat, the net areas of leads I and aVF in raw ADC counts
 * between the global QRS onset and offset, baseline the value at onset; axis = atan2(aVF × 2/√3, I);
 * the median over the beats. NaN when no beat has both bounds.
 */
export function referenceAxisDegrees(
  rawI: ArrayLike<number>,
  rawAvf: ArrayLike<number>,
  bounds: readonly (readonly [number, number])[],
): number {
  const angles = bounds.map(([on, off]) => {
    let areaI = 0;
    let areaAvf = 0;
    for (let i = on; i <= off && i < rawI.length; i++) {
      areaI += rawI[i]! - rawI[on]!;
      areaAvf += rawAvf[i]! - rawAvf[on]!;
    }
    return (Math.atan2((areaAvf * 2) / Math.sqrt(3), areaI) * 180) / Math.PI;
  });
  return median(angles);
}

/** Signed difference of two angles, in (−180, 180]. */
export function angleDifference(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return d > 180 ? d - 360 : d;
}

function stats(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}

const fmt = (m: Measured | number): string => {
  const v = typeof m === 'number' ? m : m.value;
  return v === null ? `-(${(m as { reason: string }).reason})` : Number.isFinite(v) ? v.toFixed(0) : '-';
};

interface Group {
  pr: number[];
  qrs: number[];
  qt: number[];
  prWithheld: string[];
}

function newGroup(): Group {
  return { pr: [], qrs: [], qt: [], prWithheld: [] };
}

interface Tally extends AxisScores {
  main: Group;
  paced: Group;
  axisScored: number;
  axisAgreed: number;
  limbCorrected: number;
  afRecords: number;
  afPrWithheld: number;
  axisPairs: { degrees: number; label: AxisClass }[];
}

/** Axis figures against the delineation axis. */
interface AxisScores {
  /** |ours − delineation axis| per record, degrees (records where both exist). */
  axisAbsDiffs: number[];
  /** Records with a delineation axis where ours was withheld. */
  axisWithheld: string[];
}

/**
 * Scores a record's measured axis against the delineation axis (from the raw counts of I and aVF,
 * ../shared/data/README.md) into `into`; returns that axis (NaN without I, aVF or delineated beats).
 */
function scoreAxis(
  record: ReturnType<typeof loadWfdbRecord>,
  ref: Reference,
  m: ReturnType<typeof measureRecording>,
  name: string,
  into: AxisScores,
): number {
  const leadNames = record.header.signals.map((s) => s.description.toLowerCase());
  const [iIndex, avfIndex] = [leadNames.indexOf('i'), leadNames.indexOf('avf')];
  const refAxis =
    iIndex < 0 || avfIndex < 0
      ? NaN
      : referenceAxisDegrees(record.signals[iIndex]!, record.signals[avfIndex]!, ref.qrsBounds);
  if (Number.isFinite(refAxis)) {
    if (m.axisDegrees.value === null) into.axisWithheld.push(name);
    else into.axisAbsDiffs.push(Math.abs(angleDifference(m.axisDegrees.value, refAxis)));
  }
  return refAxis;
}

/** Measures one record at its own rate, prints its line and adds it to the tally. */
function evaluateRecord(
  dataDir: string,
  name: string,
  info: CsvInfo | undefined,
  useReferenceBeats: boolean,
  t: Tally,
): void {
  const record = loadWfdbRecord(dataDir, name);
  const fs = record.header.samplingFrequencyHz;
  const leads = record.signals.map((s, i) => {
    const spec = record.header.signals[i]!;
    return Float64Array.from(s, (v) => ((v - spec.baseline) / spec.gain) * 1000);
  });
  const leadNames = record.header.signals.map((s) => s.description);
  const ref = reference(
    LUDB_LEADS.map((l) => waves(loadWfdbAnnotations(dataDir, name, l))),
    fs,
  );
  const beats = useReferenceBeats ? ref.qrsPeaks : Array.from(detectQrs(leads, fs));
  const m = measureRecording({ leadsMicrovolts: leads, leadNames, beatSamples: beats, sampleRateHz: fs });
  const isPaced = info?.paced ?? false;
  const af = /fibrillation|flutter/i.test(info?.rhythm ?? '');
  const group = isPaced ? t.paced : t.main;
  if (!af && Number.isFinite(ref.prMs)) {
    if (m.prMs.value !== null) group.pr.push(m.prMs.value - ref.prMs);
    else group.prWithheld.push(name);
  }
  if (m.qrsMs.value !== null && Number.isFinite(ref.qrsMs)) group.qrs.push(m.qrsMs.value - ref.qrsMs);
  if (m.qtMs.value !== null && Number.isFinite(ref.qtMs)) group.qt.push(m.qtMs.value - ref.qtMs);
  if (m.limbLeadCheck?.applied === true) t.limbCorrected++;
  if (af) {
    t.afRecords++;
    if (m.prMs.value === null) t.afPrWithheld++;
  }
  const refAxis = scoreAxis(record, ref, m, name, t);
  if (info?.axis !== undefined) {
    t.axisScored++;
    if (m.axisDegrees.value !== null) {
      t.axisPairs.push({ degrees: m.axisDegrees.value, label: info.axis });
      if (classifyAxis(m.axisDegrees.value) === info.axis) t.axisAgreed++;
    }
  }
  console.log(
    `${name.padStart(4)} ${(isPaced ? 'paced ' : '') + (info?.rhythm ?? '?')} | PR ${fmt(m.prMs)}/${fmt(ref.prMs)} QRS ${fmt(m.qrsMs)}/${fmt(ref.qrsMs)} QT ${fmt(m.qtMs)}/${fmt(ref.qtMs)} | axis ${fmt(m.axisDegrees)}/${fmt(refAxis)} ${m.axisClass ?? '-'}/${info?.axis ?? 'blank'} | beats ${beats.length}`,
  );
}

function report(label: string, g: Group): Record<string, number> {
  const [pr, qrs, qt] = [stats(g.pr), stats(g.qrs), stats(g.qt)];
  console.log(
    `${label}: PR mean ${pr.mean.toFixed(1)} SD ${pr.sd.toFixed(1)} ms (n=${g.pr.length}, withheld by us: ${g.prWithheld.join(' ') || 'none'}); ` +
      `QRS mean ${qrs.mean.toFixed(1)} SD ${qrs.sd.toFixed(1)} ms (n=${g.qrs.length}); QT mean ${qt.mean.toFixed(1)} SD ${qt.sd.toFixed(1)} ms (n=${g.qt.length})`,
  );
  return { prMean: pr.mean, prSd: pr.sd, qrsMean: qrs.mean, qrsSd: qrs.sd, qtMean: qt.mean, qtSd: qt.sd };
}

/** The headline axis figures against the delineation axis. */
function reportDelineationAxis(
  label: string,
  absDiffs: readonly number[],
  withheld: readonly string[],
): { medianAbs: number; within10Pct: number } {
  const medianAbs = median(absDiffs);
  const within = absDiffs.filter((d) => d <= 10).length;
  const scored = absDiffs.length + withheld.length;
  const within10Pct = scored > 0 ? (100 * within) / scored : NaN;
  console.log(
    `${label}: median |difference| ${medianAbs.toFixed(1)}°, within 10°: ${within}/${scored} = ${within10Pct.toFixed(1)} % ` +
      `(withheld by us, counted as outside: ${withheld.join(' ') || 'none'}); worst: ${[...absDiffs]
        .sort((a, b) => b - a)
        .slice(0, 5)
        .map((d) => d.toFixed(0))
        .join(', ')}°`,
  );
  return { medianAbs, within10Pct };
}

/** Axis (csv labels, detail) and withholding detail lines. */
function reportAxis(t: Tally, recordCount: number): number {
  const axisPct = t.axisScored > 0 ? (100 * t.axisAgreed) / t.axisScored : NaN;
  console.log(
    `axis agreement (3 classes): ${t.axisAgreed}/${t.axisScored} = ${axisPct.toFixed(1)} % (all records with a non-blank csv entry)`,
  );
  console.log(
    `AF/flutter records with PR withheld by us (no coupled P wave): ${t.afPrWithheld}/${t.afRecords}`,
  );
  console.log(
    `limb leads breaking Einthoven/Goldberger (header gains inconsistent), scales corrected for the axis: ${t.limbCorrected}/${recordCount} records`,
  );
  for (const boundary of [0, 30]) {
    const agree = t.axisPairs.filter(({ degrees, label }) => {
      const cls: AxisClass = degrees > 90 || degrees < -90 ? 'right' : degrees < boundary ? 'left' : 'normal';
      return cls === label;
    }).length;
    console.log(
      `  (detail only) agreement if the left-deviation boundary were ${boundary}° instead of −30°: ${((100 * agree) / Math.max(1, t.axisScored)).toFixed(1)} %`,
    );
  }
  return axisPct;
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

/** The lower-rate passes: detail lines and extra headline keys. */
function reportLowerRates(
  dataDir: string,
  names: readonly string[],
  csv: Map<string, CsvInfo>,
  rates: number[],
  useReferenceBeats: boolean,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const rateHz of rates) {
    const { group: g, axis: a } = lowerRatePass(dataDir, names, csv, rateHz, useReferenceBeats);
    const [pr, qrs, qt] = [stats(g.pr), stats(g.qrs), stats(g.qt)];
    console.log(
      `at ${rateHz} Hz (resampled, detector and measurement at that rate; non-paced): PR mean ${pr.mean.toFixed(1)} SD ${pr.sd.toFixed(1)} (n=${g.pr.length}), ` +
        `QRS mean ${qrs.mean.toFixed(1)} SD ${qrs.sd.toFixed(1)} (n=${g.qrs.length}), QT mean ${qt.mean.toFixed(1)} SD ${qt.sd.toFixed(1)} ms (n=${g.qt.length})`,
    );
    const axis = reportDelineationAxis(
      `at ${rateHz} Hz, axis vs the delineation axis (every record)`,
      a.axisAbsDiffs,
      a.axisWithheld,
    );
    Object.assign(out, {
      // BENCH.md: the interval keys with the rate as suffix (prMeanMs80, …)
      [`prMeanMs${rateHz}`]: r1(pr.mean),
      [`prSdMs${rateHz}`]: r1(pr.sd),
      [`qrsMeanMs${rateHz}`]: r1(qrs.mean),
      [`qrsSdMs${rateHz}`]: r1(qrs.sd),
      [`qtMeanMs${rateHz}`]: r1(qt.mean),
      [`qtSdMs${rateHz}`]: r1(qt.sd),
      [`axisMedianAbsDeg${rateHz}`]: r1(axis.medianAbs),
      [`axisWithin10Pct${rateHz}`]: r1(axis.within10Pct),
    });
  }
  return out;
}

export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const root = databaseDir(options, 'ludb');
  const dataDir = join(root, 'data');
  const useReferenceBeats = options.get('beats') === 'reference';
  const csv = readCsv(join(root, 'ludb.csv'));
  const only = options.get('records')?.split(',');
  const names = readdirSync(dataDir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .filter((n) => only === undefined || only.includes(n))
    .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  console.log(
    `intervals: LUDB at ${root}, ${names.length} records; beats from ${useReferenceBeats ? 'the reference QRS peaks' : "the project's detector (detectQrs, 12 leads)"}`,
  );
  console.log('record  rhythm  PR ours/ref  QRS ours/ref  QT ours/ref  axis ours/ref (ms, degrees)');
  const t: Tally = {
    main: newGroup(),
    paced: newGroup(),
    axisScored: 0,
    axisAgreed: 0,
    limbCorrected: 0,
    afRecords: 0,
    afPrWithheld: 0,
    axisPairs: [],
    axisAbsDiffs: [],
    axisWithheld: [],
  };
  await Promise.resolve();
  for (const name of names) evaluateRecord(dataDir, name, csv.get(name), useReferenceBeats, t);
  const a = report('non-paced records', t.main);
  const p = report('paced records (separate)', t.paced);
  const axisPct = reportAxis(t, names.length);
  const axis = reportDelineationAxis('axis vs the delineation axis', t.axisAbsDiffs, t.axisWithheld);
  const rates = rateList(options, '250,128,80');
  const lowRate = reportLowerRates(dataDir, names, csv, rates, useReferenceBeats);
  printHeadline({
    records: t.main.qrs.length,
    prMeanMs: r1(a.prMean!),
    prSdMs: r1(a.prSd!),
    qrsMeanMs: r1(a.qrsMean!),
    qrsSdMs: r1(a.qrsSd!),
    qtMeanMs: r1(a.qtMean!),
    qtSdMs: r1(a.qtSd!),
    axisMedianAbsDeg: r1(axis.medianAbs),
    axisWithin10Pct: r1(axis.within10Pct),
    axisAgreementPct: r1(axisPct),
    prRecords: t.main.pr.length,
    prWithheldRecords: t.main.prWithheld.length,
    pacedRecords: t.paced.qrs.length,
    pacedQrsMeanMs: r1(p.qrsMean!),
    pacedQrsSdMs: r1(p.qrsSd!),
    beats: useReferenceBeats ? 'reference' : 'detector',
    ...lowRate,
  });
}

/** The non-paced records' differences after resampling every record to rateHz (80 Hz: reported, not targeted). */
function lowerRatePass(
  dataDir: string,
  names: readonly string[],
  csv: Map<string, CsvInfo>,
  rateHz: number,
  useReferenceBeats: boolean,
): { group: Group; axis: AxisScores } {
  const group = newGroup();
  const axis: AxisScores = { axisAbsDiffs: [], axisWithheld: [] };
  for (const name of names) {
    const info = csv.get(name);
    const record = loadWfdbRecord(dataDir, name);
    const fs = record.header.samplingFrequencyHz;
    const leads = record.signals.map((s, i) => {
      const spec = record.header.signals[i]!;
      return resample(
        Float64Array.from(s, (v) => ((v - spec.baseline) / spec.gain) * 1000),
        fs,
        rateHz,
      );
    });
    const ref = reference(
      LUDB_LEADS.map((l) => waves(loadWfdbAnnotations(dataDir, name, l))),
      fs,
    );
    const beats = useReferenceBeats
      ? ref.qrsPeaks.map((b) => Math.round(convertSampleIndex(b, fs, rateHz)))
      : Array.from(detectQrs(leads, rateHz));
    const m = measureRecording({
      leadsMicrovolts: leads,
      leadNames: record.header.signals.map((s) => s.description),
      beatSamples: beats,
      sampleRateHz: rateHz,
    });
    // the axis over every record, as at the native rate; the intervals over the non-paced ones
    scoreAxis(record, ref, m, name, axis);
    if (info?.paced === true) continue;
    const af = /fibrillation|flutter/i.test(info?.rhythm ?? '');
    if (!af && Number.isFinite(ref.prMs)) {
      if (m.prMs.value !== null) group.pr.push(m.prMs.value - ref.prMs);
      else group.prWithheld.push(name);
    }
    if (m.qrsMs.value !== null && Number.isFinite(ref.qrsMs)) group.qrs.push(m.qrsMs.value - ref.qrsMs);
    if (m.qtMs.value !== null && Number.isFinite(ref.qtMs)) group.qt.push(m.qtMs.value - ref.qtMs);
  }
  return { group, axis };
}
