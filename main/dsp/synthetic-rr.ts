/**
 * RR-interval process of the synthetic ECG and the beat plan (class and time of every beat).
 *
 * As in ECGSYN (McSharry et al. 2003) the RR tachogram has a bimodal spectrum: Gaussians at the
 * Mayer-wave frequency (LF, 0.1 Hz, σ 0.01 Hz) and the respiratory frequency (HF, 0.25 Hz, σ 0.01 Hz)
 * with a given LF/HF power ratio. ECGSYN draws it by inverse FFT over a fixed length; to stream without
 * end we draw the same spectrum as a sum of sinusoids whose frequencies are sampled from those Gaussians
 * (random phases), which has the same power spectrum in expectation.
 *
 * Ectopic beats: a PVC comes after a coupling interval of 0.6 × the sinus RR and is followed by a full
 * compensatory pause (the two intervals around it sum to two sinus RRs); a PAC comes after 0.72 × the
 * sinus RR and resets the sinus node (the next interval is one sinus RR). Two ectopic beats never follow
 * each other.
 */
import type { SeededRandom } from './synthetic-prng.js';
import type { SyntheticBeatClass } from './synthetic-waves.js';

/** Settings of the RR process. */
export interface RrProcessOptions {
  /** Mean heart rate, bpm. */
  readonly heartRateBpm: number;
  /** Standard deviation of the sinus RR intervals, ms (0 = perfectly regular). */
  readonly rrStdMs: number;
  /** LF/HF power ratio (ECGSYN default 0.5). */
  readonly lfHfRatio: number;
}

const COMPONENTS_PER_BAND = 16;
const PVC_COUPLING = 0.6;
const PAC_COUPLING = 0.72;

/** Sinus RR (s) as a function of time: mean + a sum of LF and HF sinusoids. */
export class RrProcess {
  private readonly meanS: number;
  private readonly freqHz: number[] = [];
  private readonly amplitudeS: number[] = [];
  private readonly phaseRad: number[] = [];

  constructor(options: RrProcessOptions, random: SeededRandom) {
    this.meanS = 60 / options.heartRateBpm;
    const variance = (options.rrStdMs / 1000) ** 2;
    const lfVar = (variance * options.lfHfRatio) / (1 + options.lfHfRatio);
    const hfVar = variance / (1 + options.lfHfRatio);
    for (const [centreHz, bandVar] of [
      [0.1, lfVar],
      [0.25, hfVar],
    ] as const) {
      for (let j = 0; j < COMPONENTS_PER_BAND; j++) {
        this.freqHz.push(Math.max(0.01, centreHz + 0.01 * random.gaussian()));
        this.amplitudeS.push(Math.sqrt((2 * bandVar) / COMPONENTS_PER_BAND));
        this.phaseRad.push(2 * Math.PI * random.uniform());
      }
    }
  }

  /** Sinus RR at time t (s), s; never below 0.25 s. */
  rrAtS(timeS: number): number {
    let rr = this.meanS;
    for (let j = 0; j < this.freqHz.length; j++) {
      rr += this.amplitudeS[j]! * Math.sin(2 * Math.PI * this.freqHz[j]! * timeS + this.phaseRad[j]!);
    }
    return Math.max(0.25, rr);
  }
}

/** A planned beat: R-wave time as a whole sample index (so it is exact at the output rate), and class. */
export interface PlannedBeat {
  readonly sampleIndex: number;
  readonly beatClass: SyntheticBeatClass;
}

/** Settings of the beat plan. */
export interface BeatPlanOptions {
  readonly sampleRateHz: number;
  /** Probability that a beat is a PVC / a PAC (each 0..1). */
  readonly pvcProbability: number;
  readonly pacProbability: number;
  /** Beat numbers (0-based) forced to a class, e.g. `{ 10: 'V' }`; wins over the probabilities. */
  readonly forcedClasses: Readonly<Record<number, SyntheticBeatClass>>;
}

/** Plans beats one after the other; beat 0 comes half a sinus RR after sample 0. */
export class BeatPlanner {
  private count = 0;
  private last: PlannedBeat | undefined;
  private sinusAnchorS = 0;

  constructor(
    private readonly rr: RrProcess,
    private readonly options: BeatPlanOptions,
    private readonly random: SeededRandom,
  ) {}

  /** The next beat. */
  next(): PlannedBeat {
    const fs = this.options.sampleRateHz;
    const beatClass = this.chooseClass();
    let timeS: number;
    if (this.last === undefined) {
      timeS = this.rr.rrAtS(0) / 2;
      this.sinusAnchorS = timeS;
    } else {
      const lastS = this.last.sampleIndex / fs;
      const sinus = this.rr.rrAtS(this.sinusAnchorS);
      if (beatClass === 'V') timeS = lastS + PVC_COUPLING * sinus;
      else if (beatClass === 'S') timeS = lastS + PAC_COUPLING * sinus;
      else if (this.last.beatClass === 'V') {
        // the sinus node kept its pace behind the PVCs: the first sinus beat due at least half a
        // cycle after the last one (a lone PVC: a full compensatory pause, 2 cycles)
        const cycles = Math.max(2, Math.ceil((lastS - this.sinusAnchorS) / sinus + 0.5));
        timeS = this.sinusAnchorS + cycles * sinus;
      } else timeS = lastS + sinus;
      // A PVC does not reset the sinus node; any other beat does.
      if (beatClass !== 'V') this.sinusAnchorS = timeS;
    }
    const beat = { sampleIndex: Math.round(timeS * fs), beatClass };
    this.last = beat;
    this.count++;
    return beat;
  }

  private chooseClass(): SyntheticBeatClass {
    const forced = this.options.forcedClasses[this.count];
    const u = this.random.uniform();
    if (forced !== undefined) return forced;
    if (this.last === undefined || this.last.beatClass !== 'N') return 'N';
    if (u < this.options.pvcProbability) return 'V';
    if (u < this.options.pvcProbability + this.options.pacProbability) return 'S';
    return 'N';
  }
}
