import { describe, expect, it } from 'vitest';
import { arrestEpisodes, arrestEpisodesText } from '../../../main/report/report-arrest.js';
import { EPISODE_END_UNSEEN_NOTE, type EventRecord } from '../../../server-contract/api/streams.js';

const T = Date.UTC(2026, 11, 6, 10, 0, 0);

describe('arrest episodes in the report', () => {
  it('prints an episode that ended as the electrodes came off as not seen to end', () => {
    const events: EventRecord[] = [
      { tMs: T, kind: 'ventricular_flutter_fibrillation' },
      { tMs: T, kind: 'ventricular_flutter_fibrillation', durationMs: 10_000, note: EPISODE_END_UNSEEN_NOTE },
      { tMs: T + 60_000, kind: 'asystole' },
      { tMs: T + 60_000, kind: 'asystole', durationMs: 6_000 },
    ];
    const episodes = arrestEpisodes(events);
    expect(episodes.map((e) => e.endUnseen)).toEqual([true, false]);
    expect(arrestEpisodesText(episodes)).toBe(
      'Ventricular flutter/fibrillation 10:00:00–10:00:10 UTC (10.0 s; then the signal was lost: its end was not seen); ' +
        'Asystole 10:01:00–10:01:06 UTC (6.0 s)',
    );
  });
});
