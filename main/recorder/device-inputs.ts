/**
 * What the devices deliver, placed on the recorder's timelines: ECG-12 samples events run through
 * the live pipeline (display, beats, measurements, flags) and, while a recording is captured, into
 * its streams; lead-off changes and unit stops as events; the watch's heart rate, battery,
 * accelerometer and PPG batches (placed on one clock by WatchRuns) for the recording of the
 * patient the watch is bound to, and the holes the watch link reports.
 */
import type { GatewayApi } from '../../preload/api.js';
import type { EventName, EventPayload } from '../../preload/define.js';
import type { Electrode, Settings } from '../../preload/schemas.js';
import {
  EPISODE_END_UNSEEN_NOTE,
  type EventRecord,
  type HrRecord,
} from '../../server-contract/api/streams.js';
import type { Ecg12SamplesEvent } from '../devices/ecg12/unit.js';
import type { RhythmEvent } from '../dsp/rhythm-events.js';
import { leadsLostTo, LiveEcg, VT_RATE_BPM, type LeadQualityName } from './live-ecg.js';
import { ACCEL_CHANNELS, ecgChannels, PPG_CHANNELS, type RecordingSession } from './recording-session.js';
import { WatchRuns } from './watch-runs.js';

export type EmitGatewayEvent = <K extends EventName<GatewayApi>>(
  event: K,
  payload: EventPayload<GatewayApi, K>,
) => void;

/** Alarm code of electrodes the ECG unit reports off. */
const LEAD_OFF_ALARM = 'ecg_lead_off';

/** What the inputs need from the recorder. */
export interface InputContext {
  emit: EmitGatewayEvent;
  settings: () => Settings;
  simulated: boolean;
  now: () => number;
  watchPatient: (address: string) => string | null;
  onEcgQuality?: ((quality: Record<string, LeadQualityName>) => void) | undefined;
  /** Runs `work` on the recording being captured, if there is one (failures are the recorder's). */
  capture(work: (session: RecordingSession) => void): void;
}

/** See the file comment. */
export class DeviceInputs {
  private live: LiveEcg | undefined;
  private readonly watchRuns = new WatchRuns();
  /** Electrodes off at the last lead-off event (sorted; a new recording records them afresh). */
  private lastLeadOff: readonly Electrode[] = [];
  /** Electrodes the lead-off alarm names now (sorted; empty: no alarm). */
  private alarmedLeadOff: readonly Electrode[] = [];
  private channels: { lsbNanovolts: number; list: ReturnType<typeof ecgChannels> } | undefined;

  constructor(private readonly ctx: InputContext) {}

  /** The live ECG rate, when a unit is streaming. */
  get ecgRateHz(): number | undefined {
    return this.live?.rateHz;
  }

  /**
   * A rhythm episode: an event for the UI and the recording, and a critical alarm while it lasts.
   * Whether electrodes being off spoils it is the live pipeline's to decide, from the lead-off
   * mask of every SAMPLES frame: it opens no asystole while every detection lead is off, and
   * follows the leads still on when only some are (one chest electrode off must not silence an
   * asystole that lead II shows). An episode that closed only because the leads went off (its
   * note EPISODE_END_UNSEEN_NOTE) keeps its alarm, reworded, until staff acknowledge it or a later
   * episode of the same kind is seen to end: the rhythm was lost from view, not seen to stop.
   */
  private onEpisode(event: EventRecord): void {
    this.ctx.emit('events.recorded', event);
    this.ctx.capture((s) => {
      s.pushRecord('events', event);
      s.summary.episode(event.kind, event.tMs, event.durationMs);
    });
    const atMs = Math.round(this.ctx.now());
    const endUnseen = event.note === EPISODE_END_UNSEEN_NOTE;
    if (event.durationMs !== undefined && !endUnseen) {
      this.ctx.emit('alarms.cleared', { code: event.kind, atMs });
      return;
    }
    const what = event.kind === 'asystole' ? 'Asystole: no QRS for 4 s' : 'Ventricular flutter/fibrillation';
    this.ctx.emit('alarms.raised', {
      code: event.kind,
      severity: 'critical',
      message: endUnseen
        ? `${what} on the ECG until the signal was lost (electrodes off or clipping): its end was not seen. Check the patient and the electrodes.`
        : `${what} on the ECG (computed, not a diagnosis: check the patient and the electrodes).`,
      atMs,
    });
  }

  /**
   * A rhythm event from the classed beats (live-ecg.ts `rhythmRecord`): into the events stream,
   * and an episode (a ventricular run, bradycardia, tachycardia) into the summary's counts (PVCs
   * and PACs are counted from the beats stream). A ventricular run raises an alarm while it
   * lasts — critical when it is ventricular tachycardia (over {@link VT_RATE_BPM}/min), a warning
   * when slower (an idioventricular rhythm) — cleared when it ends, as a monitor's "V-tach" and
   * "ventricular rhythm" alarms (staff keep it in the alarm history).
   */
  private onRhythm(event: EventRecord, source: RhythmEvent): void {
    this.ctx.emit('events.recorded', event);
    this.ctx.capture((s) => {
      s.pushRecord('events', event);
      const episode = source.kind !== 'pvc' && source.kind !== 'pac' && source.kind !== 'pause';
      if (episode) s.summary.episode(event.kind, event.tMs, event.durationMs);
    });
    if (event.kind !== 'ventricular_run') return;
    const atMs = Math.round(this.ctx.now());
    if (event.durationMs !== undefined) {
      this.ctx.emit('alarms.cleared', { code: event.kind, atMs });
      return;
    }
    const bpm = Math.round(source.value ?? 0);
    const tachycardia = bpm > VT_RATE_BPM;
    this.ctx.emit('alarms.raised', {
      code: event.kind,
      severity: tachycardia ? 'critical' : 'warning',
      message:
        `${tachycardia ? 'Ventricular tachycardia' : 'Ventricular rhythm'}: a run of ventricular beats at ${bpm}/min ` +
        '(computed, not a diagnosis: check the patient and the electrodes).',
      atMs,
    });
  }

  /** The unit's channels at its scale, made once per scale (not per samples event). */
  private ecgChannels(lsbNanovolts: number): ReturnType<typeof ecgChannels> {
    if (this.channels?.lsbNanovolts !== lsbNanovolts)
      this.channels = { lsbNanovolts, list: ecgChannels(lsbNanovolts) };
    return this.channels.list;
  }

  /** A new recording's timelines start afresh. */
  newSession(): void {
    this.watchRuns.reset();
    this.lastLeadOff = [];
  }

  /** A SAMPLES event of the ECG-12 unit (the payload object is reused by the unit: not kept). */
  ecgSamples(event: Ecg12SamplesEvent, device: { serial: string; simulated: boolean }): void {
    if (this.live === undefined || this.live.rateHz !== event.rateHz) {
      this.live?.finish();
      this.live = new LiveEcg(
        event,
        { deviceSerial: device.serial, simulated: device.simulated, mainsHz: this.ctx.settings().mainsHz },
        {
          batch: (batch) => this.ctx.emit('ecg.received', batch),
          beat: (beat) =>
            this.ctx.capture((s) => {
              s.summary.beat(beat.tMs, beat.beatClass);
              s.pushRecord('beats', beat);
            }),
          measurement: (record) => {
            this.ctx.emit('measurements.updated', record);
            this.ctx.capture((s) => {
              s.summary.heartRate(record.heartRateBpm);
              s.pushRecord('measurements', record);
            });
          },
          rhythm: (event, source) => this.onRhythm(event, source),
          episode: (event) => this.onEpisode(event),
          quality: (quality, sets) => {
            this.ctx.onEcgQuality?.(quality);
            this.ctx.capture((s) => s.summary.quality(quality, sets));
          },
          relearned: (event) => {
            this.ctx.emit('events.recorded', event);
            this.ctx.capture((s) => s.pushRecord('events', event));
          },
        },
      );
    }
    this.ctx.capture((s) => {
      const gap = s.pushSampled(
        'ecg',
        {
          run: {
            anchorMs: event.anchorMs,
            sampleRateHz: event.rateHz,
            channels: this.ecgChannels(event.lsbNanovolts),
          },
          firstIndex: event.firstIndex,
          setCount: event.setCount,
          counts: event.counts.subarray(0, event.setCount * 8),
        },
        { inRun: 'frames_lost', acrossRuns: 'device_disconnected' },
      );
      if (gap !== undefined) this.ctx.emit('events.recorded', gap);
    });
    this.live.push(event);
  }

  /**
   * Beat detection and classification learn the patient afresh (staff moved the electrodes, or
   * beats are missed or misclassified); false when no ECG is streaming.
   */
  relearnEcg(): boolean {
    this.live?.relearn();
    return this.live !== undefined;
  }

  /**
   * The recording is stopping: beats the pipeline still holds (up to its `beatLatencyS`, ≈ 4.5 s,
   * while it decides on ventricular fibrillation) are reported now, into the recording; the live
   * pipeline starts afresh with the next samples.
   */
  flushEcg(): void {
    this.live?.finish();
    this.live = undefined;
  }

  /**
   * The unit stopped delivering (unplugged, disconnected): the live pipeline starts afresh next
   * time, and its electrodes are no longer known (the lead-off alarm goes; the next unit's status
   * says them again).
   */
  ecgStopped(message: string): void {
    this.live?.finish();
    this.live = undefined;
    this.leadOffAlarm([], Math.round(this.ctx.now()));
    this.lastLeadOff = [];
    this.ctx.capture((s) =>
      s.pushRecord('events', {
        tMs: Math.round(this.ctx.now()),
        kind: 'device',
        note: message.slice(0, 500),
      }),
    );
  }

  /**
   * The electrodes the unit reports off: an event when the set changes, and a warning alarm while
   * any is off (as a monitor's "leads off"), naming the electrodes and the leads left without ECG,
   * and saying when beat detection and the arrest alarms wait for them; cleared when all are back.
   */
  ecgLeadOff(electrodes: readonly Electrode[]): void {
    const key = [...electrodes].sort();
    const atMs = Math.round(this.ctx.now());
    this.leadOffAlarm(key, atMs);
    if (key.join() === this.lastLeadOff.join()) return;
    const event: EventRecord = {
      tMs: atMs,
      kind: 'lead_off',
      leads: key.slice(0, 12),
      ...(key.length === 0 ? { note: 'all electrodes attached again' } : {}),
    };
    this.lastLeadOff = key;
    this.ctx.emit('events.recorded', event);
    this.ctx.capture((s) => s.pushRecord('events', event));
  }

  /** Raises, rewords or clears the lead-off alarm for the electrodes off now (sorted). */
  private leadOffAlarm(key: readonly Electrode[], atMs: number): void {
    if (key.join() === this.alarmedLeadOff.join()) return;
    this.alarmedLeadOff = key;
    if (key.length === 0) {
      this.ctx.emit('alarms.cleared', { code: LEAD_OFF_ALARM, atMs });
      return;
    }
    const { lost, detectionLost } = leadsLostTo(key);
    const [electrode, them] = key.length > 1 ? ['Electrodes', 'them'] : ['Electrode', 'it'];
    this.ctx.emit('alarms.raised', {
      code: LEAD_OFF_ALARM,
      severity: 'warning',
      message:
        `${electrode} off: ${key.join(', ')}. No ECG on ${lost.join(', ')}` +
        (detectionLost ? `: beat detection and the arrest alarms wait for ${them}.` : '.') +
        ` Reattach ${them}.`,
      atMs,
    });
  }

  watchHr(address: string, record: HrRecord): void {
    this.ctx.emit('watch.received', { address, simulated: this.ctx.simulated, hr: [record], accel: [] });
    this.captureWatch(address, (s) => {
      s.summary.hr();
      s.pushRecord('hr', record);
    });
  }

  watchAccel(address: string, batch: { ts: number; hz: number; xyzMilliG: readonly number[] }): void {
    const samples = [];
    for (let i = 0; i * 3 + 2 < batch.xyzMilliG.length; i++) {
      samples.push({
        tMs: batch.ts + (i * 1000) / batch.hz,
        xMg: batch.xyzMilliG[i * 3]!,
        yMg: batch.xyzMilliG[i * 3 + 1]!,
        zMg: batch.xyzMilliG[i * 3 + 2]!,
      });
    }
    this.ctx.emit('watch.received', { address, simulated: this.ctx.simulated, hr: [], accel: samples });
    this.captureWatch(address, (s) => {
      const placed = this.watchRuns.place('accel', batch.ts, batch.hz, samples.length);
      s.summary.accel(samples.length);
      this.pushWatchSampled(s, 'accel', placed, ACCEL_CHANNELS, batch.xyzMilliG.slice(0, samples.length * 3));
    });
  }

  watchPpg(address: string, batch: { ts: number; hz: number; raw: readonly number[] }): void {
    this.captureWatch(address, (s) => {
      const placed = this.watchRuns.place('ppg', batch.ts, batch.hz, batch.raw.length);
      this.pushWatchSampled(s, 'ppg', placed, PPG_CHANNELS, batch.raw);
    });
  }

  watchBattery(address: string, record: { ts: number; pct: number; charging: boolean }): void {
    this.captureWatch(address, (s) =>
      s.pushRecord('battery', { tMs: Math.round(record.ts), pct: record.pct, charging: record.charging }),
    );
  }

  /** A hole the watch link reported (out of range, lost lines). */
  watchGap(address: string, gap: { startMs: number; endMs: number; reason: string }): void {
    this.captureWatch(address, (s) => {
      const event = s.gap('watch', gap.startMs, gap.endMs, `watch_${gap.reason.replace(/-/g, '_')}`);
      this.ctx.emit('events.recorded', event);
    });
  }

  /** Captures a watch's data only into a recording of the patient the watch is bound to. */
  private captureWatch(address: string, work: (session: RecordingSession) => void): void {
    this.ctx.capture((session) => {
      if (this.ctx.watchPatient(address) === session.row.patientId) work(session);
    });
  }

  private pushWatchSampled(
    s: RecordingSession,
    stream: 'accel' | 'ppg',
    placed: { anchorMs: number; hz: number; firstIndex: number },
    channels: typeof ACCEL_CHANNELS,
    values: readonly number[],
  ): void {
    const gap = s.pushSampled(
      stream,
      {
        run: { anchorMs: placed.anchorMs, sampleRateHz: placed.hz, channels },
        firstIndex: placed.firstIndex,
        setCount: values.length / channels.length,
        counts: Int32Array.from(values),
      },
      { inRun: 'watch_data_lost', acrossRuns: 'watch_disconnected' },
    );
    if (gap !== undefined) this.ctx.emit('events.recorded', gap);
  }
}
