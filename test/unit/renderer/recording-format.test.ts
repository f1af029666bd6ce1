import { describe, expect, it } from 'vitest';
import type { RecordingState } from '../../../renderer/src/api-types.js';
import {
  durationText,
  endReasonText,
  isOpen,
  leadQualityText,
  pauseReasonText,
  pauseResumeText,
  arrestText,
  summaryFacts,
  type RecordingSummary,
} from '../../../renderer/src/format/recording.js';

const summary: RecordingSummary = {
  durationMs: 10_400,
  beats: 12,
  meanHeartRateBpm: 71.6,
  minHeartRateBpm: 68.2,
  maxHeartRateBpm: 75.5,
  pvcCount: 1,
  pacCount: 0,
  vfEpisodes: 1,
  vfMs: 14_200,
  asystoleEpisodes: 0,
  asystoleMs: 0,
  ventricularRuns: 2,
  supraventricularRuns: 0,
  signalQualityPct: 96.7,
  goodSignalPctByLead: { V1: 90, I: 100, II: 99.6 },
  gapCount: 2,
  gapMs: 65_000,
  hrReadings: 1,
  accelSamples: 2500,
  endReason: 'stopped',
};

const state = (over: Partial<RecordingState>): RecordingState => ({
  id: '01890a5d-ac96-774b-bcce-b302099a8057',
  patientId: '01890a5d-ac96-774b-bcce-b302099a8058',
  studyCode: 'P001',
  operator: { id: '01890a5d-ac96-774b-bcce-b302099a8059', name: 'Ann' },
  devices: [],
  simulated: false,
  startedAtMs: 1_700_000_000_000,
  endedAtMs: null,
  summary: null,
  state: 'recording',
  endReason: null,
  suspended: null,
  voidReason: null,
  chunksSealed: 0,
  ...over,
});

describe('recording format', () => {
  it.each([
    [0, '0 s'],
    [9_400, '9 s'],
    [59_600, '1 min 00 s'],
    [125_000, '2 min 05 s'],
    [3_725_000, '1 h 02 min 05 s'],
    [-5, '0 s'],
  ])('writes %i ms as %s', (ms, text) => {
    expect(durationText(ms)).toBe(text);
  });

  it('counts a recording as open while recording, paused or interrupted, not once ended', () => {
    expect(isOpen(null)).toBe(false);
    expect(isOpen(state({}))).toBe(true);
    expect(isOpen(state({ suspended: 'disk_quota' }))).toBe(true);
    expect(isOpen(state({ state: 'interrupted', chunksSealed: null }))).toBe(true);
    expect(isOpen(state({ state: 'ended', endedAtMs: 1_700_000_010_000 }))).toBe(false);
  });

  it('says why a recording ended or paused in plain words, unknown codes without underscores', () => {
    expect(endReasonText('stopped')).toBe('Stopped by staff');
    expect(endReasonText('gateway_restarted')).toMatch(/gateway restarted/);
    expect(endReasonText('operator_left_early')).toBe('Operator left early');
    expect(endReasonText(null)).toBe('Not recorded');
    expect(pauseReasonText('disk_quota')).toMatch(/storage quota is full/);
    expect(pauseReasonText('disk_full')).toMatch(/disk is full/);
    expect(pauseReasonText('storage_error')).toMatch(/could not write/);
    expect(pauseReasonText('fan_fault')).toBe('fan fault');
    expect(pauseResumeText('disk_quota')).toMatch(/uploading to the server makes room/);
    expect(pauseResumeText('storage_error')).toMatch(/storage works again/);
    expect(pauseResumeText('fan_fault')).toBe('when the cause is fixed');
  });

  it('lists good signal per lead in display order with whole percents', () => {
    // no-break spaces inside an item: a long list wraps only after a comma
    expect(leadQualityText(summary.goodSignalPctByLead)).toBe(
      'I\u00a0100\u00a0%, II\u00a0100\u00a0%, V1\u00a090\u00a0%',
    );
    expect(leadQualityText({ I: 99.8, II: 100, V6: 100 })).toBe('All 3 leads 100\u00a0%');
    expect(leadQualityText({ V6: 80 })).toBe('V6\u00a080\u00a0%');
    expect(leadQualityText(undefined)).toBeNull();
    expect(leadQualityText({})).toBeNull();
  });

  it('shows every summary field in the unit its name carries', () => {
    const facts = Object.fromEntries(summaryFacts(summary, 'stopped').map((f) => [f.term, f.value]));
    expect(facts).toEqual({
      Duration: '10 s',
      Beats: '12',
      'Mean heart rate': '72 bpm',
      'Lowest heart rate': '68 bpm',
      'Highest heart rate': '76 bpm',
      PVCs: '1',
      PACs: '0',
      'Ventricular runs (3 beats or more)': '2',
      'Supraventricular runs (3 beats or more)': '0',
      'Arrest rhythms (computed)': 'Ventricular flutter/fibrillation ×1 (14 s)',
      'Good signal, overall': '97\u00a0% of the time',
      'Good signal, per lead': 'I\u00a0100\u00a0%, II\u00a0100\u00a0%, V1\u00a090\u00a0%',
      Gaps: '2 gaps, 1 min 05 s in total',
      'Watch readings': '1 heart-rate reading, 2,500 movement samples',
      'End reason': 'Stopped by staff',
    });
  });

  it('names the arrest rhythms computed, or says there were none', () => {
    const none = { ...summary, vfEpisodes: 0, vfMs: 0 };
    expect(arrestText(none)).toBe('None');
    expect(arrestText({ ...none, asystoleEpisodes: 2, asystoleMs: 9_400 })).toBe('Asystole ×2 (9 s)');
    expect(arrestText({ ...summary, asystoleEpisodes: 1, asystoleMs: 65_000 })).toBe(
      'Ventricular flutter/fibrillation ×1 (14 s); asystole ×1 (1 min 05 s)',
    );
  });

  it('says "not measured" for absent ECG figures and "None" for no gaps or watch', () => {
    const watchOnly: RecordingSummary = {
      durationMs: 3_600_000,
      beats: null,
      meanHeartRateBpm: null,
      pvcCount: null,
      pacCount: null,
      signalQualityPct: null,
      gapCount: 0,
      gapMs: 0,
      hrReadings: 0,
      accelSamples: 0,
    };
    const facts = Object.fromEntries(summaryFacts(watchOnly, 'gateway_closed').map((f) => [f.term, f.value]));
    expect(facts.Beats).toBe('not measured');
    expect(facts['Arrest rhythms (computed)']).toBe('not measured');
    expect(facts['Ventricular runs (3 beats or more)']).toBe('not measured');
    expect(facts['Supraventricular runs (3 beats or more)']).toBe('not measured');
    expect(facts['Lowest heart rate']).toBe('not measured');
    expect(facts['Good signal, per lead']).toBe('not measured');
    expect(facts.Gaps).toBe('None');
    expect(facts['Watch readings']).toBe('None');
    expect(facts.Duration).toBe('1 h 00 min 00 s');
    expect(facts['End reason']).toBe('The gateway was shut down');
  });
});
