/**
 * `npm run bench -- qrs-noise [--data DIR] [--records 118,119] [--kinds bw,ma,em] [--write DIR]`
 *
 * The noise stress test of ANSI/AAMI EC57 as the MIT-BIH Noise Stress Test Database built it
 * (Moody, Muldrow & Mark, Computers in Cardiology 11:381–384, 1984): clean records 118 and 119,
 * noise added to both channels from 5 minutes on in 2-minute segments alternating with 2 clean
 * minutes, at SNR 24, 18, 12, 6, 0 and −6 dB. The NST noise recordings are not at hand, so each
 * noise type is synthesised from its published character (synthetic-noise.ts, with sources):
 * baseline wander (bw), muscle artefact (ma) and electrode motion (em, the type the NST records
 * use). SNR as WFDB's `nst` defines it: S = (QRS peak-to-peak)² / 8 — the power of a sinusoid of
 * that peak-to-peak — with the peak-to-peak the median over the reference beats of the range
 * within ±50 ms of each (nst trims a mean; the exact trimming was not at hand), N = the noise's
 * mean square; the noise is scaled by √(S / (N·10^(SNR/10))).
 * Scoring: EC57 beat rules from 5 minutes on (as bxb), channel 0 detection. Headline per SNR is
 * the worst noise type; detail lines give each record, type and SNR.
 * `--write DIR` writes every noisy record as WFDB format 16 (`118em24`, `119ma_6`, … as the NST
 * names them, both channels, the original gains and baselines) with the reference `.atr` copied
 * unchanged (same sample rate and length), so other detectors run on exactly these signals.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectQrs } from '../main/dsp/qrs.js';
import type { NoiseKind } from '../main/dsp/synthetic-noise.js';
import { CLEAN_S, noisyChannels } from './_nst.js';
import { encodeFormat16, formatWfdbHeader, wfdbChecksum } from '../server-contract/formats/wfdb.js';
import { loadWfdbRecord } from '../main/devices/record-files.js';
import { databaseDir, parseOptions, round2 } from './_common.js';
import { loadScoredRecord, type ScoredRecord } from './_records.js';
import { addScores, outsideSpans, ppvPct, scoreBeats, sensitivityPct, type BeatScore } from './_scoring.js';

const SNRS_DB = [24, 18, 12, 6, 0, -6] as const;

function writeRecord(
  outDir: string,
  dataDir: string,
  record: ScoredRecord,
  name: string,
  channels: Float64Array[],
): void {
  const header = loadWfdbRecord(dataDir, record.name).header;
  const adc = channels.map((ch) =>
    Float64Array.from(ch, (v) => Math.max(-32767, Math.min(32767, Math.round(v)))),
  );
  writeFileSync(join(outDir, `${name}.dat`), encodeFormat16(adc));
  writeFileSync(
    join(outDir, `${name}.hea`),
    formatWfdbHeader({
      recordName: name,
      samplingFrequencyHz: record.sampleRateHz,
      sampleCount: adc[0]!.length,
      signals: adc.map((a, c) => ({
        gain: header.signals[c]?.gain ?? 200,
        baseline: header.signals[c]?.baseline ?? 0,
        units: 'mV',
        description: header.signals[c]?.description ?? `ch${c}`,
        initialValue: a[0] ?? 0,
        checksum: wfdbChecksum(a),
      })),
      comments: [
        `PulseWatch qrs-noise: ${record.name} + synthetic noise, NST protocol (noise from 5 min, 2 min on/off)`,
      ],
    }),
  );
  copyFileSync(join(dataDir, `${record.name}.atr`), join(outDir, `${name}.atr`));
}

/** Runs the benchmark. */
export async function run(args: string[]): Promise<void> {
  const options = parseOptions(args);
  const dir = databaseDir(options, 'mitdb');
  const names = (options.get('records') ?? '118,119').split(',');
  const kinds = (options.get('kinds') ?? 'bw,ma,em').split(',') as NoiseKind[];
  const outDir = options.get('write');
  if (outDir !== undefined) mkdirSync(outDir, { recursive: true });
  console.log(
    `qrs-noise: records ${names.join(',')} from ${dir}, synthetic ${kinds.join('/')} noise, SNR ${SNRS_DB.join(', ')} dB, ` +
      `noise 2 min on / 2 min off from 5 min; EC57 scoring from 5 min, channel 0`,
  );
  const byKindSnr = new Map<string, BeatScore[]>();
  const clean: BeatScore[] = [];
  for (const name of names) {
    const record = loadScoredRecord(dir, name, [0, 1]);
    const fs = record.sampleRateHz;
    const start = CLEAN_S * fs;
    const uvPerUnit = 1000 / record.gains[0]!;
    const reference = outsideSpans(record.reference, record.flutter).filter((s) => s >= start);
    const score = (channels: Float64Array[]): BeatScore => {
      const beats = detectQrs([channels[0]!], fs, { microvoltsPerUnit: uvPerUnit });
      return scoreBeats(
        reference,
        outsideSpans(beats, record.flutter).filter((s) => s >= start),
        fs,
      );
    };
    const c = score(record.signals);
    clean.push(c);
    console.log(`${name} clean: Se ${sensitivityPct(c).toFixed(2)} +P ${ppvPct(c).toFixed(2)}`);
    for (const kind of kinds) {
      const parts: string[] = [];
      for (const snr of SNRS_DB) {
        const channels = noisyChannels(record, kind, snr, Number(name) * 100 + SNRS_DB.indexOf(snr));
        const s = score(channels);
        const key = `${kind} ${snr}`;
        byKindSnr.set(key, [...(byKindSnr.get(key) ?? []), s]);
        parts.push(`${snr} dB Se ${sensitivityPct(s).toFixed(2)} +P ${ppvPct(s).toFixed(2)}`);
        if (outDir !== undefined)
          writeRecord(outDir, dir, record, `${name}${kind}${snr < 0 ? `_${-snr}` : snr}`, channels);
      }
      console.log(`${name} ${kind}: ${parts.join(' | ')}`);
    }
  }
  const sePctBySnr: Record<string, number> = {};
  const ppvPctBySnr: Record<string, number> = {};
  for (const snr of SNRS_DB) {
    const perKind = kinds.map((kind) => addScores(byKindSnr.get(`${kind} ${snr}`) ?? []));
    kinds.forEach((kind, k) =>
      console.log(
        `gross ${kind} ${snr} dB: Se ${sensitivityPct(perKind[k]!).toFixed(2)} +P ${ppvPct(perKind[k]!).toFixed(2)} (TP ${perKind[k]!.tp} FP ${perKind[k]!.fp} FN ${perKind[k]!.fn})`,
      ),
    );
    sePctBySnr[String(snr)] = round2(Math.min(...perKind.map(sensitivityPct)));
    ppvPctBySnr[String(snr)] = round2(Math.min(...perKind.map(ppvPct)));
  }
  const atLeast6 = SNRS_DB.filter((s) => s >= 6).map(String);
  const cleanGross = addScores(clean);
  console.log(
    `gross clean (same span): Se ${sensitivityPct(cleanGross).toFixed(2)} +P ${ppvPct(cleanGross).toFixed(2)}`,
  );
  if (outDir !== undefined) console.log(`noisy records written to ${outDir}`);
  await Promise.resolve();
  // the headline holds objects (per SNR), so it is printed here rather than by printHeadline
  console.log(
    JSON.stringify({
      records: names.length,
      sePctBySnr,
      ppvPctBySnr,
      worstSePct: Math.min(...atLeast6.map((s) => sePctBySnr[s]!)),
      worstPpvPct: Math.min(...atLeast6.map((s) => ppvPctBySnr[s]!)),
    }),
  );
}
