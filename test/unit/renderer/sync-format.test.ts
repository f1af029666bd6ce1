import { describe, expect, it } from 'vitest';
import {
  agoText,
  bytesText,
  enrollmentProblem,
  normaliseEnrollmentCode,
  reachableText,
  whenText,
} from '../../../renderer/src/format/sync.js';

describe('sync format', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [12_345, '12.3 kB'],
    [4_560_000, '4.6 MB'],
    [1_200_000_000, '1.20 GB'],
  ])('writes %i bytes as %s', (bytes, text) => {
    expect(bytesText(bytes)).toBe(text);
  });

  it.each([
    [2_000, 'just now'],
    [45_000, '45 s ago'],
    [12 * 60_000 + 5_000, '12 min ago'],
    [3 * 3_600_000, '3 h ago'],
    [86_400_000, '1 day ago'],
    [3 * 86_400_000, '3 days ago'],
    [-10_000, 'just now'],
  ])('writes an age of %i ms as %s', (ageMs, text) => {
    expect(agoText(1_000_000_000_000 - ageMs, 1_000_000_000_000)).toBe(text);
  });

  it('shows "none" text for an absent time and the age for a present one', () => {
    expect(whenText(null, 0, 'Nothing uploaded yet')).toBe('Nothing uploaded yet');
    expect(whenText(1_000_000_000_000, 1_000_000_060_000, 'x')).toMatch(/\(1 min ago\)$/);
  });

  it('says whether the server answered', () => {
    expect(reachableText(null)).toBe('Not contacted yet');
    expect(reachableText(true)).toBe('Yes');
    expect(reachableText(false)).toMatch(/^No/);
  });

  it.each([
    ['ab12-cd34-ef56-gh78', 'AB12-CD34-EF56-GH78'],
    [' AB12 CD34 EF56 GH78 ', 'AB12-CD34-EF56-GH78'],
    ['ab12cd34ef56gh78', 'AB12-CD34-EF56-GH78'],
    ['ab12-cd34', 'AB12-CD34'],
  ])('tidies the typed code %j to %j', (typed, code) => {
    expect(normaliseEnrollmentCode(typed)).toBe(code);
  });

  it.each([
    ['', 'AB12-CD34-EF56-GH78', /Enter the server address/],
    ['pulsewatch.clinic', 'AB12-CD34-EF56-GH78', /is not a web address/],
    ['ftp://pulsewatch.clinic', 'AB12-CD34-EF56-GH78', /must start with https:\/\//],
    ['https://pulsewatch.clinic', '', /Enter the one-time enrollment code/],
    ['https://pulsewatch.clinic', 'AB12-CD34', /four groups of four/],
    ['https://pulsewatch.clinic', 'AB12-CD34-EF56-GH7!', /four groups of four/],
  ])('refuses server %j with code %j in plain words', (url, code, problem) => {
    expect(enrollmentProblem(url, code)).toMatch(problem);
  });

  it('accepts a good address and a code typed in lower case without dashes', () => {
    expect(enrollmentProblem('http://127.0.0.1:8080', 'ab12cd34ef56gh78')).toBeNull();
    expect(enrollmentProblem(' https://pulsewatch.clinic.example ', 'AB12-CD34-EF56-GH78')).toBeNull();
  });
});
