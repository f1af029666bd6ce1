/**
 * Causal beat classification into the AAMI EC57 classes (N, S, V, F, Q), one beat at a time as
 * the detector reports it, from what is known then: the beat's own waveform on every lead and
 * the RR intervals up to it. The same class goes to the live strip, the beats stream and the
 * whole-record analysis.
 *
 * Features (the families of de Chazal, O'Dwyer & Reilly, IEEE TBME 51(7):1196–1206, 2004, and of
 * template-matching monitors such as Hamilton's open-source classifier, EP Limited 2002):
 * - **morphology**: correlation of the beat (−80…+120 ms around R, all leads) with a running
 *   template of the dominant normal beat (median of the first {@link TEMPLATE_BOOT_BEATS} beats,
 *   then following normal beats, weight 1/16), best over ±40 ms of shift, to a quarter sample;
 * - **width**: the time taken by the middle 80 % of the beat's summed absolute slope, over the
 *   template's (ventricular complexes spread over ≥ 120 ms, a normal QRS ≈ 80 ms);
 * - **prematurity**: the RR over the median of the last {@link RR_REFERENCE_BEATS} normal RRs,
 *   and its change from the previous RR (sinus arrhythmia changes gradually, ectopy abruptly);
 * - **P wave**: correlation of the window 300–80 ms before R with the sinus beats' (Llamedo &
 *   Martínez, IEEE TBME 58(3), 2011), and the deformation of the T before a wide premature beat
 *   (beat-preceding-t.ts);
 * - **rhythm**: atrial fibrillation from RR irregularity (rr-irregularity.ts, Dash et al. 2009);
 * - **ventricular shapes**: a bank of the patient's ectopic morphologies (beat-templates.ts).
 * Leads swamped by noise in a beat (range-normalised Σ|Δ²x| over 2.5 × the template's) are left
 * out of its comparison; with none left the beat is Q (one much narrower than the template still
 * goes to the relearning below: a template learnt on a broad ventricular run at the start is far
 * smoother than the sinus beats, which would all read as noise). A beat that is not premature and
 * keeps the normal QRS on one lead is not V: artefact on the others (beat-ventricular.ts). Rules → V
 * (beat-ventricular.ts): premature and unlike the template or wide; clearly premature (RR < 75 %)
 * and not the normally conducted QRS (r < 0.9) in sinus rhythm; unlike and matching a learned
 * ventricular shape; not on time, wide and unlike; an escape after a pause; not an Ashman beat of
 * AF (beat-ashman.ts). A V that looks atrial (beat-aberrancy.ts) is S if its pause is not compensatory.
 * → S (beat-supraventricular.ts): of normal QRS (r ≥ 0.9, < 1.2 × wide); abrupt (≥ 10 % shorter
 * than the previous RR after a sinus rhythm, beat-rhythm-before.ts — after the pause of a PVC,
 * a clearly foreign P instead —, or continuing a regular or
 * quickening run of S, or with the recurring P wave of an ectopic focus, EctopicAtrialFoci);
 * premature enough for its P window (under 75 % of the local RR with any
 * P, 85 % with a P unlike the sinus one, 90 % with a clearly foreign one; after a V, timed from
 * the last supraventricular beat); only while the atria keep a sinus rhythm (not in atrial
 * fibrillation nor flutter, beat-flutter.ts: AAMI counts their beats N). → F: beat-fusion.ts.
 * → Q: a beat the V rules call that does not stand out from the signal before it on any lead
 * (noise, beat-noise.ts), or unlike (r < 0.4). Else N. The
 * normal template learns only beats that match it closely, and is replaced by a shape that has
 * become dominant (DominanceWatch). Read on the MIT-BIH 100-series records (`npm run bench --
 * beats`) and synthetic supraventricular rhythms (`npm run bench -- beats --synthetic`).
 */
import type { BeatClass } from './hrv.js';
import type { ClassifiedBeat } from './beat-result.js';
import { BeatWindows, type SampleReader } from './beat-windows.js';
import { entersRhythm, RrIrregularity } from './rr-irregularity.js';
import {
  abruptOnset,
  atrialPrematurity,
  clearlyForeignP,
  EctopicAtrialFoci,
  ectopicRunBefore,
  supraventricularQrs,
  PREMATURE_RATIO,
  SinusPConsistency,
} from './beat-supraventricular.js';
import { AberrancyWatch } from './beat-aberrancy.js';
import { ashmanBeat, ONSET_S } from './beat-ashman.js';
import { BootBeats } from './beat-boot.js';
import { FlutterWatch } from './beat-flutter.js';
import { RhythmBefore } from './beat-rhythm-before.js';
import { type ShapeBeat, ShapeMemory, type VentricularMatch } from './beat-templates.js';
import { fusionBeat, fusionFit } from './beat-fusion.js';
import { BeatNoise } from './beat-noise.js';
import { UNLIKE_NORMAL, ventricularBeat } from './beat-ventricular.js';
import { correlation, median } from './stats.js';

export { TEMPLATE_BOOT_BEATS } from './beat-boot.js';
/** Normal RR intervals whose median is the reference RR. */
export const RR_REFERENCE_BEATS = 8;
const BEFORE_S = 0.08;
/** Start of the P-wave window before R (PR ≤ 200 ms plus the R's distance from QRS onset). */
const P_BEFORE_S = 0.3;
const AFTER_S = 0.12;
const MAX_LAG_S = 0.04;
/**
 * Fractions of a sample tried around the best whole-sample alignment with the template (the
 * window read between samples by cubic interpolation, beat-windows.ts). On MIT-BIH 113 resampled
 * to 80 Hz the normal beats' 5th-percentile correlation with the template was 0.84 aligned to
 * whole samples and 0.98 aligned between them (0.99 at 360 Hz), and their 95th-percentile width
 * 1.36 times the template's against 1.13 (1.18 at 360 Hz); `npm run bench -- beats`, V +P at
 * 80 Hz 91.7 → 95.5.
 */
const SUB_SAMPLE_LAGS = [-0.5, -0.25, 0.25, 0.5] as const;
const TEMPLATE_WEIGHT = 1 / 16;
/** A lead is left out of a beat's comparison when its roughness exceeds the template's this many times. */
const NOISY_ROUGHNESS_RATIO = 2.5;
/**
 * Width (over the template's) under which a beat rough against the template is narrower than it
 * rather than noisy: a normal QRS of 80–100 ms against a template learnt on broad ventricular
 * complexes of 140–200 ms.
 */
const NARROWER_THAN_TEMPLATE = 0.7;
/** The fields of a beat not compared with the templates (learning, or swamped by noise). */
const UNCOMPARED = { widthRatio: 1, prematurity: null, vCorrelation: -1, pThreshold: NaN } as const;
const NO_MATCH: VentricularMatch = { correlation: -1, template: -1, lag: 0 };

export type { SampleReader } from './beat-windows.js';
export type { ClassifiedBeat } from './beat-result.js';

/** Streaming classifier: call {@link classify} for each beat in time order. */
export class BeatClassifier {
  readonly sampleRateHz: number;
  readonly leadCount: number;
  /** Samples a beat's window reaches after its R peak: the caller must have them. */
  readonly afterSamples: number;
  private readonly win: BeatWindows;
  private readonly maxLag: number;
  private template: Float64Array | null = null;
  private templateSpread = 0;
  private readonly boot: BootBeats;
  private lastR = -1;
  private lastRr = -1;
  /** R of the last beat not called V, and the RR between the last two such beats. */
  private lastSupraR = -1;
  private supraRr = -1;
  private lastClass: BeatClass = 'N';
  /** The class of the beat before the last one (the last RR ended a V's pause when it was V). */
  private classBeforeLast: BeatClass = 'N';
  /** Beats since the last V (fusion needs a ventricular focus that is firing). */
  private sinceV = Infinity;
  private readonly normalRr: number[] = [];
  private readonly sinusP = new SinusPConsistency();
  private readonly foci = new EctopicAtrialFoci();
  private readonly before = new RhythmBefore();
  private readonly aberrancy: AberrancyWatch;
  private readonly work: Float64Array;
  private pTemplate: Float64Array | null = null;
  private readonly pWork: Float64Array;
  /** The previous beat's P window. */
  private readonly prevP: Float64Array;
  private readonly irregularity = new RrIrregularity();
  private readonly flutter: FlutterWatch;
  private readonly shapes = new ShapeMemory();
  private readonly vWork: Float64Array;
  private readonly noise: BeatNoise;

  constructor(options: { sampleRateHz: number; leadCount?: number }) {
    this.sampleRateHz = options.sampleRateHz;
    this.leadCount = options.leadCount ?? 1;
    const before = Math.max(2, Math.round(BEFORE_S * this.sampleRateHz));
    this.afterSamples = Math.max(2, Math.round(AFTER_S * this.sampleRateHz));
    const pBefore = Math.max(before + 2, Math.round(P_BEFORE_S * this.sampleRateHz));
    this.win = new BeatWindows(this.leadCount, before, this.afterSamples, pBefore);
    this.maxLag = Math.max(1, Math.round(MAX_LAG_S * this.sampleRateHz));
    this.work = new Float64Array(this.win.width * this.leadCount);
    this.pWork = new Float64Array(this.win.pWidth * this.leadCount);
    this.prevP = new Float64Array(this.win.pWidth * this.leadCount);
    this.vWork = new Float64Array(this.win.width * this.leadCount);
    this.aberrancy = new AberrancyWatch(this.sampleRateHz, this.leadCount);
    this.boot = new BootBeats(this.win);
    this.flutter = new FlutterWatch(this.sampleRateHz, this.leadCount);
    this.noise = new BeatNoise(this.sampleRateHz, this.leadCount);
  }

  /** Classifies the beat with R peak at sample `r` (after the previous one); `read` must reach r + afterSamples. */
  classify(r: number, read: SampleReader): ClassifiedBeat {
    const rr = this.lastR >= 0 ? r - this.lastR : null;
    const prevRr = this.lastRr;
    this.lastR = r;
    // the atria run on under a PVC (seldom conducted back to them): after a V, atrial timing is read
    // from the last supraventricular beat (a false detection called V then makes no beat early)
    const atrialRr = this.lastSupraR >= 0 ? r - this.lastSupraR : null;
    const prevAtrialRr = this.supraRr;
    if (this.template === null) {
      this.supraRr = atrialRr ?? -1;
      this.lastSupraR = r;
      return this.bootstrap(r, read, rr);
    }
    const af = this.irregularity.atrialFibrillation;
    // best alignment with the template
    let best = -2;
    let bestLag = 0;
    for (let lag = -this.maxLag; lag <= this.maxLag; lag++) {
      this.win.windowAt(read, r + lag, this.work);
      const c = correlation(this.work, this.template);
      if (c > best) {
        best = c;
        bestLag = lag;
      }
    }
    // then between samples (SUB_SAMPLE_LAGS): at 80-128 Hz a normal QRS spans 6-10 samples, and
    // half a sample of misalignment lowers its correlation with the template as a change of shape would
    let frac = 0;
    for (const f of SUB_SAMPLE_LAGS) {
      this.win.windowAt(read, r + bestLag + f, this.work);
      const c = correlation(this.work, this.template);
      if (c > best) {
        best = c;
        frac = f;
      }
    }
    this.win.windowAt(read, r + bestLag + frac, this.work);
    this.win.pWindowAt(read, r + bestLag, this.pWork);
    const pCorrelation = this.pTemplate === null ? NaN : correlation(this.pWork, this.pTemplate);
    // the local normal RR: median of recent normal RRs (a missed beat or a gap does not stretch it)
    const reference = this.normalRr.length === 0 ? this.lastRr : median(this.normalRr);
    const prematurity = rr !== null && reference > 0 ? rr / reference : null;
    const premature = prematurity !== null && prematurity < PREMATURE_RATIO;
    const clean = this.win.cleanLeads(this.work, this.template, NOISY_ROUGHNESS_RATIO);
    if (clean.length === 0) {
      this.learn('Q', rr);
      // rough against the template on every lead: noise, or a template far smoother than the
      // patient's beats (learnt on a broad ventricular run at the start). A beat much narrower than
      // the template is the second: noise spreads a beat's slope, it does not gather it. Its shape
      // is shown to the relearning, which it takes over when it recurs on time.
      if (this.win.spread(this.work) < NARROWER_THAN_TEMPLATE * this.templateSpread)
        this.learnShape({ ventricular: false, unlike: true, premature, match: NO_MATCH }, read, r);
      return { ...UNCOMPARED, beatClass: 'Q', correlation: best, pCorrelation, atrialFibrillation: af };
    }
    if (clean.length < this.leadCount) best = this.win.leadCorrelation(this.work, this.template, clean);
    const widthRatio = this.win.spread(this.work, clean) / Math.max(1, this.win.spread(this.template, clean));
    const pThreshold = this.sinusP.threshold();
    let beatClass: BeatClass = 'N';
    const conduction = supraventricularQrs(best, widthRatio);
    const shifted = this.win.shifter(read, r, this.vWork);
    const vm = best < UNLIKE_NORMAL ? this.shapes.matchVentricular(shifted, this.maxLag) : NO_MATCH;
    const flutter = this.flutter.observe(r, rr, read, pCorrelation, pThreshold);
    const atrialRhythm = this.sinusP.atrialRhythmKnown(af) && !flutter;
    const template = this.template;
    const evidence = {
      correlation: best,
      widthRatio,
      prematurity,
      ventricularCorrelation: vm.correlation,
      atrialRhythm,
      bestLeadCorrelation: this.win.bestLeadCorrelation(this.work, template, clean),
      pCorrelation,
      pThreshold,
    };
    const onsetAt = Math.round(ONSET_S * this.sampleRateHz);
    const onsetCorrelation = this.win.onsetCorrelation(this.work, template, clean, onsetAt);
    // a beat the ventricular rules would call V but that does not stand out from the signal before
    // it on any lead is unclassifiable (beat-noise.ts); like a V it leaves the atrial timing alone
    let inNoise = false;
    if (ventricularBeat(evidence) && !ashmanBeat({ ...evidence, rr, previousRr: prevRr, onsetCorrelation })) {
      inNoise = !this.noise.standsOut(read, rr === null ? -1 : r - rr, r);
      beatClass = inNoise ? 'Q' : 'V';
    } else if (
      atrialRhythm &&
      conduction !== null &&
      atrialPrematurity({
        prematurity: atrialRr !== null && reference > 0 ? atrialRr / reference : null,
        abrupt: abruptOnset({
          lastClass: this.lastClass,
          previousRrEndedPause: this.classBeforeLast === 'V',
          foreignP: clearlyForeignP(pCorrelation, pThreshold),
          rr,
          previousRr: prevRr,
          atrialRr,
          previousAtrialRr: prevAtrialRr,
          sinusPBefore: this.before.sinusBefore(pThreshold, this.lastClass),
          knownFocusP:
            !this.flutter.wavesBetweenBeats &&
            this.foci.carries(this.pWork, pCorrelation, pThreshold, this.sinusP.consistency()),
          previousEctopicRun: ectopicRunBefore({
            previousRr: prevRr,
            reference,
            pCorrelation,
            pThreshold,
            pWithPrevious: correlation(this.pWork, this.prevP),
          }),
        }),
        pCorrelation,
        pThreshold,
        foreignPOnly: conduction === 'minor-aberrancy',
      })
    ) {
      beatClass = 'S';
    } else if (
      fusionBeat({ ...evidence, sinceV: this.sinceV }, () =>
        fusionFit(this.work, template, this.shapes.ventricularWaves, this.win.width, this.maxLag),
      )
    )
      beatClass = 'F';
    else if (best < 0.4) beatClass = 'Q';
    const settled = {
      r,
      rr,
      beatClass,
      premature,
      prematurity,
      correlation: best,
      sinusRr: reference,
      onsetCorrelation,
    };
    const aberrancy = this.aberrancy.settle({ ...settled, atrialRhythm }, read);
    if (beatClass === 'N') this.before.noteNormalBeat(pCorrelation, rr, this.lastClass);
    if (beatClass !== 'V' && !inNoise) {
      this.supraRr = atrialRr ?? -1;
      this.lastSupraR = r;
      this.foci.note(this.pWork, pCorrelation, pThreshold);
    }
    // the AF detector reads sinus-to-sinus RRs only (rr-irregularity.ts, entersRhythm)
    if (rr !== null && entersRhythm(beatClass) && entersRhythm(this.lastClass)) this.irregularity.push(rr);
    this.learn(beatClass, rr);
    this.sinceV = beatClass === 'V' ? 0 : this.sinceV + 1;
    this.learnShape(
      { ventricular: beatClass === 'V', unlike: best < UNLIKE_NORMAL, premature, match: vm },
      read,
      r,
      shifted,
    );
    // the template follows the dominant, normally conducted beat only: a wide or dissimilar beat
    // let in (an unrecognised PVC) would drift it towards the ectopic shape
    if (beatClass === 'N' && best >= 0.9 && widthRatio < 1.2) {
      const t = this.template;
      for (let i = 0; i < t.length; i++) t[i] = t[i]! + TEMPLATE_WEIGHT * (this.work[i]! - t[i]!);
      this.templateSpread += TEMPLATE_WEIGHT * (this.win.spread(this.work) - this.templateSpread);
      const p = this.pTemplate;
      if (!premature && !flutter) {
        if (p === null) this.pTemplate = Float64Array.from(this.pWork);
        else {
          for (let i = 0; i < p.length; i++) p[i] = p[i]! + TEMPLATE_WEIGHT * (this.pWork[i]! - p[i]!);
          this.sinusP.push(pCorrelation);
        }
      }
    }
    this.prevP.set(this.pWork);
    return {
      beatClass,
      correlation: best,
      widthRatio,
      prematurity,
      pCorrelation,
      pThreshold,
      atrialFibrillation: af,
      vCorrelation: vm.correlation,
      sinusPConsistency: this.sinusP.consistency(),
      onsetCorrelation,
      ...aberrancy,
    };
  }

  /**
   * Shows a classified beat's shape (this.work, aligned on the template) to the shape memory; a
   * shape that has become dominant replaces the normal template.
   */
  private learnShape(
    beat: ShapeBeat,
    read: SampleReader,
    r: number,
    shifted: (lag: number) => Float64Array = this.win.shifter(read, r, this.vWork),
  ): void {
    const dominant = this.shapes.learn(beat, shifted, this.maxLag, this.work);
    if (dominant === null) return;
    this.template = dominant;
    this.templateSpread = this.win.spread(dominant);
  }

  private learn(beatClass: BeatClass, rr: number | null): void {
    if (rr !== null) {
      if (beatClass === 'N' && this.lastClass === 'N') {
        this.normalRr.push(rr);
        if (this.normalRr.length > RR_REFERENCE_BEATS) this.normalRr.shift();
      }
      this.lastRr = rr;
    }
    this.classBeforeLast = this.lastClass;
    this.lastClass = beatClass;
  }

  private bootstrap(r: number, read: SampleReader, rr: number | null): ClassifiedBeat {
    if (rr !== null) {
      this.normalRr.push(rr);
      if (this.normalRr.length > RR_REFERENCE_BEATS) this.normalRr.shift();
      this.lastRr = rr;
      this.irregularity.push(rr);
    }
    // the segments between the boot beats tell whether the recording starts in flutter
    this.flutter.observe(r, rr, read, NaN, NaN);
    const first = this.boot.add(r, read, rr);
    if (first !== null) {
      this.template = first.template;
      this.templateSpread = first.templateSpread;
      // a boot in flutter gives no sinus P: the template starts at the first N beat after it
      this.pTemplate = this.flutter.recognisedAtStart() ? null : first.pTemplate;
      // the reference starts at the sinus cycle alone, not at the last boot beat's RR (it may be ectopic)
      if (!Number.isNaN(first.sinusRr)) this.normalRr.splice(0, Infinity, first.sinusRr);
    }
    return { ...UNCOMPARED, beatClass: 'N', correlation: 1, pCorrelation: NaN, atrialFibrillation: false };
  }
}
