/** The Reports section's words: the strip start staff type, upload states, strip and size. */
import { describe, expect, it } from 'vitest';
import {
  segmentStartFromText,
  sizeText,
  stripText,
  uploadText,
  type ReportInfo,
} from '../../../renderer/src/format/report.js';

const started = Date.UTC(2026, 11, 4, 17, 39, 10);
const base: ReportInfo = {
  id: '01900000-0000-7000-8000-000000000001',
  recordingId: '01900000-0000-7000-8000-000000000002',
  title: 'Resting 12-lead ECG — P001',
  createdAtMs: started + 60_000,
  simulated: true,
  sizeBytes: 153_600,
  paper: 'A4',
  pageCount: 2,
  segmentStartMs: Date.UTC(2026, 11, 4, 17, 40, 0),
  segmentChosenBy: 'good_signal',
  upload: 'queued',
  uploadError: null,
  pdfAvailable: true,
};

describe('report formatting', () => {
  it('reads a UTC time of day on the recording’s date, the next day past midnight', () => {
    expect(segmentStartFromText('', started)).toBeUndefined();
    expect(segmentStartFromText('17:40:05', started)).toBe(Date.UTC(2026, 11, 4, 17, 40, 5));
    expect(segmentStartFromText('17:41', started)).toBe(Date.UTC(2026, 11, 4, 17, 41, 0));
    expect(segmentStartFromText('00:10:00', started)).toBe(Date.UTC(2026, 11, 5, 0, 10, 0));
  });

  it.each(['noon', '25:00', '17:61', '17:40:5x', '1740'])('refuses %s as a time', (text) => {
    expect(segmentStartFromText(text, started)).toBeNull();
  });

  it('says the upload state in plain words', () => {
    expect(uploadText(base)).toBe('Waiting to upload');
    expect(uploadText({ ...base, uploadError: 'server unreachable' })).toBe(
      'Waiting to retry (server unreachable)',
    );
    expect(uploadText({ ...base, upload: 'uploaded' })).toBe('Uploaded');
    expect(uploadText({ ...base, upload: 'failed', uploadError: '415 not a PDF' })).toContain(
      'Upload failed: 415 not a PDF',
    );
  });

  it('describes the strip and the size', () => {
    expect(stripText(base)).toBe('17:40:00–17:40:10 UTC, last 10 s of good signal');
    expect(stripText({ ...base, segmentChosenBy: 'staff' })).toBe('17:40:00–17:40:10 UTC, chosen by staff');
    expect(stripText({ ...base, segmentStartMs: null, segmentChosenBy: null })).toBe(
      'No ECG page (watch only)',
    );
    expect(sizeText(153_600)).toBe('150 kB');
    expect(sizeText(5_120)).toBe('5.0 kB');
  });
});
