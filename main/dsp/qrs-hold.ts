/**
 * Look-ahead for early beats in noisy stretches: the live QRS detector holds an early beat
 * found where the signal is noisy and decides it when the next beat arrives. A second or third
 * early beat before the on-time beat is due joins the held one, and the on-time beat decides
 * them together: two spikes in one cycle (MIT-BIH 104's muscle noise, 0.28–0.39 s apart) are
 * no couplet, which a pause would follow, nor atrial premature beats, which reset the sinus node.
 *
 * Physiology: a premature complex disturbs the rhythm. A ventricular premature beat is
 * followed by a compensatory pause (the next sinus beat comes about two cycles after the one
 * before the ectopic, not one), an atrial premature beat resets the sinus node (the next beat
 * comes about one cycle after the ectopic). A noise spike does neither: the next beat comes
 * on time, one cycle after the beat before the spike. Only interpolated ventricular beats,
 * squeezed between two sinus beats, also leave the rhythm undisturbed; they are rare and no
 * likelier in noise than in clean signal, while in high-grade muscle or electrode-motion
 * artefact (Moody, Muldrow & Mark 1984, the EC57 noise stress test) spikes are frequent. So an
 * early beat between two on-time beats is dropped only in a noisy stretch, only when it breaks
 * a settled rhythm, and not when it clearly carries more QRS energy than the on-time beat (then
 * the on-time beat may be the spike, landing on time by chance). Settled: the two intervals
 * before it were each one cycle — a regular rhythm, and the beat before it no spike itself. In
 * atrial fibrillation the cycle says nothing of when the next beat is due, and one interval near
 * the median comes by chance (with one interval, clean synthetic atrial fibrillation with
 * bundle-branch block lost beats to the hold). When neither beat dominates, their sizes cannot
 * tell which is the QRS — in noise the spike adds to or outgrows the complexes — and the timing
 * decides: the on-time beat continues the rhythm, the early one broke it. (An earlier rule kept
 * the early beat unless the on-time one clearly dominated it; in the noise stress test that
 * reported 20 more false beats at 6 dB muscle noise, and found no beat more.) The on-time beat
 * must also look like the patient's QRS (qrs-template.ts): the second beat of a ventricular
 * couplet can land just when the sinus beat was due, and then it seemed to continue the rhythm
 * and the first ectopic was dropped (synthetic couplets in muscle noise, qrs-hold.test.ts: 7 beats
 * lost at 128 Hz, 1 at 250 and at 360 Hz). Nor is an early beat dropped that plainly has the
 * patient's QRS shape (qrs-template.ts `matchesPlainly`): a spike seldom matches the patient's
 * own complex that closely, while in atrial fibrillation — wide complexes and f waves keep the
 * feature busy, so the stretch counts as noisy — two intervals near the median come by chance
 * and a conducted beat then seemed early between two on-time ones (synthetic atrial
 * fibrillation with bundle-branch block, lead II, 60 strips: 6 of its 61 missed beats). The
 * cycle is the median of the recent RR intervals, which the spikes among them do not shift.
 * The hold changes only what is reported, never the detector's state: its levels and
 * intervals still count the dropped beat, as they did before it held.
 *
 * A beat the detector accepted on weak evidence — a complex in the T-wave window no larger than a
 * noise burst can be (qrs-twave.ts `standsBySizeAlone`) — is held the same way in a clean
 * stretch too: if it is a ventricular premature beat, the pause after it shows it.
 *
 * Noisy stretch: the detection feature (integrated 5–15 Hz squared slope) lies above half
 * threshold 1 for a large share of the last 3 s. In clean ECG it does so only during the QRS
 * complexes (≈ 0.15–0.25 s of each cycle, a share of 0.2–0.35 at usual rates); in noise the
 * feature's floor rises towards the threshold (a signal quality index in the spirit of the
 * feature-based SQIs of Li, Mark & Clifford 2008, Physiol Meas 29:15).
 */

/** A beat earlier than this fraction of the mean RR interval is early (premature). */
const EARLY_RR = 0.75;
/** The next beat is on time when it lies within this fraction of the mean RR of one cycle. */
const ON_TIME_RR = 0.12;
/** The rhythm is settled when this many intervals before the early beat were each one cycle. */
const SETTLED_INTERVALS = 2;
/** Stretch over which the feature's busy share is averaged (time constant), seconds. */
const BUSY_WINDOW_S = 3;
/** Busy share from which the stretch is noisy (clean ECG: 0.2–0.35). */
const NOISY_SHARE = 0.4;
/**
 * One beat dominates another when the other has under this fraction of its feature peak; the
 * held beat is kept when it dominates the on-time one.
 */
const DOMINANT_RATIO = 0.7;
/** At most this many early beats are held together (spikes within one cycle). */
const MAX_HELD = 3;

/** What the hold says of the held beat when a beat is accepted. */
export type HoldDecision =
  | { kind: 'none' }
  /** The held beats were real ones: report them (their R peaks, in order) before the new beat. */
  | { kind: 'report'; rs: number[] }
  /** The held beats were noise: drop them; the intervals since the beat before them are one. */
  | { kind: 'drop' };

/** Early beats held together: one, or a few spikes within the same cycle. */
interface Held {
  /** R peaks of the held beats, in order (empty: nothing held). */
  rs: number[];
  /** The beat before the first. */
  previous: number;
  /** The rhythm's cycle (median RR) then, samples. */
  cycle: number;
  /** The largest feature peak among them. */
  value: number;
  /** Whether each of them plainly has the patient's QRS shape. */
  qrsShaped: boolean;
}

const NONE: Held = { rs: [], previous: -1, cycle: 0, value: 0, qrsShaped: false };

/** Hold state of one detector. */
export class EarlyBeatHold {
  private readonly window: number;
  /** Running share of samples with the feature above half threshold 1. */
  private busy = 0;
  private held: Held = NONE;

  constructor(sampleRateHz: number) {
    this.window = Math.round(BUSY_WINDOW_S * sampleRateHz);
  }

  /** One sample after training: is the feature above half threshold 1? */
  observe(above: boolean): void {
    this.busy += ((above ? 1 : 0) - this.busy) / this.window;
  }

  /** Is the recent stretch noisy? */
  noisy(): boolean {
    return this.busy >= NOISY_SHARE;
  }

  /** Is a beat held? */
  get holding(): boolean {
    return this.held.rs.length > 0;
  }

  /**
   * A beat at `index` (R peak `r`, feature peak `value`) is accepted after the beat at
   * `previous` (-1: none); `cycle` is the rhythm's cycle (median RR) and `recentRrs` the intervals
   * that ended at `previous` and at the beat before it (latest first), samples; `typical` says
   * whether the beat looks like the patient's QRS (qrs-template.ts; asked only when it decides
   * held beats); `doubtful`, that the beat was accepted on weak evidence (qrs-twave.ts
   * `standsBySizeAlone`): it is held as an early beat in noise is, in a clean stretch too;
   * `qrsShaped`, whether the beat plainly has the patient's QRS shape (qrs-template.ts
   * `matchesPlainly`; asked only when the beat is held): held beats that all do are reported.
   * Decides the held beats, if any, then says whether this beat is itself held (`hold` true) or
   * to be reported now.
   * A beat is held only when it breaks a settled rhythm: the two intervals before it were each
   * one cycle. While beats are held, a further beat before the on-time window, in the noisy
   * stretch still, joins them (up to {@link MAX_HELD}): a second spike in the same cycle. Two
   * premature beats followed by an on-time one are no couplet either: a ventricular couplet
   * is followed by a pause, an atrial one resets the sinus node.
   */
  accept(
    index: number,
    r: number,
    previous: number,
    cycle: number,
    value: number,
    recentRrs: readonly number[],
    typical: () => boolean = () => true,
    doubtful = false,
    qrsShaped: () => boolean = () => false,
  ): { decision: HoldDecision; hold: boolean } {
    let decision: HoldDecision = { kind: 'none' };
    const h = this.held;
    if (h.rs.length > 0) {
      if (h.rs.length < MAX_HELD && index - h.previous < (1 - ON_TIME_RR) * h.cycle && this.noisy()) {
        h.rs.push(r);
        h.value = Math.max(h.value, value);
        h.qrsShaped = h.qrsShaped && qrsShaped();
        return { decision, hold: true };
      }
      const onTime =
        !h.qrsShaped &&
        Math.abs(index - h.previous - h.cycle) <= ON_TIME_RR * h.cycle &&
        DOMINANT_RATIO * h.value <= value &&
        typical();
      decision = onTime ? { kind: 'drop' } : { kind: 'report', rs: h.rs };
      this.held = NONE;
      // after dropped spikes the beat before them is this beat's predecessor
      if (onTime) previous = h.previous;
    }
    const settled =
      recentRrs.length >= SETTLED_INTERVALS &&
      recentRrs.slice(0, SETTLED_INTERVALS).every((rr) => Math.abs(rr - cycle) <= ON_TIME_RR * cycle);
    const hold =
      previous >= 0 && settled && index - previous < EARLY_RR * cycle && (this.noisy() || doubtful);
    if (hold) this.held = { rs: [r], previous, cycle, value, qrsShaped: qrsShaped() };
    return { decision, hold };
  }

  /**
   * The R peaks of the held beats to report at sample `now` (empty: none): once the time when an
   * on-time beat was due has passed (plus `graceSamples` to confirm one), the rhythm was
   * disturbed and the held beats were real premature ones.
   */
  due(now: number, graceSamples: number): number[] {
    const h = this.held;
    if (h.rs.length === 0 || now < h.previous + (1 + ON_TIME_RR) * h.cycle + graceSamples) return [];
    this.held = NONE;
    return h.rs;
  }

  /** End of record: the held beats' R peaks (empty: none), reported as they are. */
  release(): number[] {
    const { rs } = this.held;
    this.held = NONE;
    return rs;
  }
}

/** Reports a detector's beats through the hold: each R peak once, in time order. */
export class HoldingReporter {
  readonly hold: EarlyBeatHold;
  private lastR = -1;

  constructor(
    sampleRateHz: number,
    private readonly onBeat: (r: number) => void,
  ) {
    this.hold = new EarlyBeatHold(sampleRateHz);
  }

  /** A beat was accepted (arguments as {@link EarlyBeatHold.accept}, before the detector's state takes it in). */
  beat(...args: Parameters<EarlyBeatHold['accept']>): void {
    const [, r] = args;
    const held = this.hold.accept(...args);
    if (held.decision.kind === 'report') for (const heldR of held.decision.rs) this.report(heldR);
    if (!held.hold) this.report(r);
  }

  /** Sample `now` went by: reports the held beat once its on-time window has passed. */
  tick(now: number, graceSamples: number): void {
    if (this.hold.holding) for (const r of this.hold.due(now, graceSamples)) this.report(r);
  }

  /** End of record: reports the held beat, if any. */
  flush(): void {
    for (const r of this.hold.release()) this.report(r);
  }

  private report(r: number): void {
    if (r > this.lastR) {
      this.lastR = r;
      this.onBeat(r);
    }
  }
}
