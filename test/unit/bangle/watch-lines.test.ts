import { describe, expect, it } from 'vitest';
import { parseWatchLine } from '../../../main/devices/bangle/watch-lines.js';

describe('parseWatchLine accepts every line type of the spec', () => {
  it.each([
    '{"t":"hello","n":0,"v":1,"fw":"2v25","hw":"BANGLEJS2","ts":1795251600000}',
    '{"t":"hrm","n":4,"ts":1795251600000,"bpm":72,"conf":85}',
    '{"t":"acc","n":5,"ts":1795251600000,"hz":12.5,"xyz":[12,-40,-980,13,-41,-979]}',
    '{"t":"ppg","n":6,"ts":1795251600000,"hz":25,"raw":[2011,2040]}',
    '{"t":"bat","n":1,"ts":1795251600000,"pct":88,"chg":false}',
    '{"t":"pong","n":2,"ts":1795251600000}',
    '{"t":"ok","n":0,"call":"start"}',
    '{"t":"err","n":3,"call":"start","msg":"Error: accHz 7"}',
  ])('%s', (line) => {
    const parsed = parseWatchLine(line);
    expect(parsed.ok).toBe(true);
  });
});

describe('parseWatchLine rejects, with a reason', () => {
  it.each([
    ['not JSON', '{"t":"hrm","ts":17', 'not JSON'],
    ['relaxed JSON (E.toJS)', '{t:"hrm",bpm:70}', 'not JSON'],
    ['an array', '[1,2]', 'not a JSON object with "t"'],
    ['no t', '{"n":1}', 'not a JSON object with "t"'],
    ['unknown type', '{"t":"mystery","n":1}', 'invalid line'],
    ['missing counter', '{"t":"pong","ts":1795251600000}', 'invalid line'],
    ['negative counter', '{"t":"pong","n":-1,"ts":1795251600000}', 'invalid line'],
    ['bpm as text', '{"t":"hrm","n":3,"ts":1,"bpm":"fast","conf":80}', 'invalid line'],
    ['confidence over 100', '{"t":"hrm","n":3,"ts":1795251600000,"bpm":70,"conf":101}', 'invalid line'],
    ['extra field', '{"t":"ok","n":0,"call":"start","x":1}', 'invalid line'],
    [
      'xyz not whole triples',
      '{"t":"acc","n":5,"ts":1795251600000,"hz":12.5,"xyz":[1,2,3,4]}',
      'invalid line',
    ],
    ['fractional milli-g', '{"t":"acc","n":5,"ts":1795251600000,"hz":12.5,"xyz":[1.5,2,3]}', 'invalid line'],
    ['battery as text', '{"t":"bat","n":1,"ts":1795251600000,"pct":"88","chg":false}', 'invalid line'],
  ])('%s', (_name, line, reason) => {
    const parsed = parseWatchLine(line);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason.startsWith(reason)).toBe(true);
  });
});
