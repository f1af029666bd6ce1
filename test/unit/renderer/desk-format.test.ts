import { describe, expect, it } from 'vitest';
import { PatientFieldsSchema, SettingsSchema } from '../../../preload/schemas.js';
import { plainInvalidInput, toShownError } from '../../../renderer/src/errors.js';
import {
  outOfRange,
  qtcLimitMs,
  stMillimetres,
  windowText,
} from '../../../renderer/src/format/measurements.js';
import { numberLimits, problems } from '../../../renderer/src/format/validation.js';

const FIELDS = {
  studyCode: { label: 'Study code', format: 'letters, digits, - and _ (e.g. P001)' },
  ageYears: { label: 'Age (years)' },
};

describe('form limits from the shared schemas', () => {
  it('reads the chunk-length limits the server enforces (5–600 s), not a guess', () => {
    expect(numberLimits(SettingsSchema.shape.ecgChunkSeconds)).toEqual({ min: 5, max: 600 });
    expect(numberLimits(PatientFieldsSchema.shape.ageYears)).toEqual({ min: 0, max: 130 });
    expect(numberLimits(SettingsSchema.shape.lockAfterMinutes)).toEqual({ min: 0, max: 240 });
  });

  it.each([
    [{ studyCode: '' }, 'Study code: use letters, digits, - and _ (e.g. P001).'],
    [{ studyCode: 'P 1' }, 'Study code: use letters, digits, - and _ (e.g. P001).'],
    [{ studyCode: 'P1', ageYears: 230 }, 'Age (years): must be 130 or less.'],
    [{ studyCode: 'P1', ageYears: -1 }, 'Age (years): must be 0 or more.'],
    [{ studyCode: 'P1', ageYears: 4.5 }, 'Age (years): must be a whole number.'],
    [{ studyCode: 'P1', ageYears: Number.NaN }, 'Age (years): must be a number.'],
  ])('says what is wrong with %j in words', (input, expected) => {
    const parsed = PatientFieldsSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(problems(parsed.error, FIELDS)).toEqual([expected]);
  });
});

describe('gateway errors in words', () => {
  it('rewrites the input check as field names, without the call or a raw issue list', () => {
    expect(plainInvalidInput('settings.update: ecgChunkSeconds: Too big: expected number to be <=600')).toBe(
      'ECG chunk length: too big: expected number to be <=600',
    );
    const shown = toShownError({
      code: 'invalid_input',
      message: 'patients.create: studyCode: bad; ageYears: big',
    });
    expect(shown.message).toBe('Study code: bad. Age: big');
    expect(shown.message).not.toMatch(/[[\]{}]/);
  });
});

describe('clinical framing of measurements', () => {
  it.each([
    ['qrsMs', 119, null],
    ['qrsMs', 120, 'wide: 120 ms or more'],
    ['prMs', 200, null],
    ['prMs', 201, 'long: over 200 ms'],
  ] as const)('%s %d ms → %s', (key, value, flag) => {
    expect(outOfRange(key, value, null)).toBe(flag);
  });

  it('marks QTc above the sex-specific limit (450 men, 460 women; men’s when not recorded)', () => {
    expect(qtcLimitMs('female')).toBe(460);
    expect(qtcLimitMs('male')).toBe(450);
    expect(outOfRange('qtcBazettMs', 455, 'female')).toBeNull();
    expect(outOfRange('qtcBazettMs', 455, 'male')).toBe('long: over 450 ms (men)');
    expect(outOfRange('qtcFridericiaMs', 455, null)).toBe('long: over 450 ms (sex not recorded; men)');
  });

  it('reads ST in mm at the standard 10 mm/mV whatever the display gain', () => {
    expect(stMillimetres(150)).toBeCloseTo(1.5, 9);
    expect(windowText(8000)).toBe('last 8 s');
    expect(windowText(300_000)).toBe('last 5 min');
  });
});
