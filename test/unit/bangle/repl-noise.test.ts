import { describe, expect, it } from 'vitest';
import { classifyConsoleLine, stripReplNoise } from '../../../main/devices/bangle/repl-noise.js';

describe('stripReplNoise', () => {
  it.each([
    ['prompt + erase before output', '>\x1b[J{"t":"hrm","n":1}', '{"t":"hrm","n":1}'],
    ['erase only', '\x1b[J{"t":"ok"}', '{"t":"ok"}'],
    ['several prompts', '>>{"t":"ok"}', '{"t":"ok"}'],
    ['prompt with spaces', ' > {"t":"ok"} ', '{"t":"ok"}'],
    ['cursor movement and colour', '\x1b[2K\x1b[1;32m{"a":1}\x1b[0m', '{"a":1}'],
    ['stray control bytes', '\x00\x07{"a":1}\x7f', '{"a":1}'],
    ['prompt alone', '>', ''],
    ['plain text kept', 'Uncaught Error: boom', 'Uncaught Error: boom'],
    ['a ">" inside JSON kept', '{"msg":"a>b"}', '{"msg":"a>b"}'],
  ])('%s', (_name, input, expected) => {
    expect(stripReplNoise(input)).toBe(expected);
  });
});

describe('classifyConsoleLine', () => {
  it.each([
    ['', 'empty'],
    ['{"t":"ok"}', 'json'],
    ['=undefined', 'console'],
    ['pw.ping()', 'console'],
  ] as const)('%j is %s', (line, kind) => {
    expect(classifyConsoleLine(line)).toBe(kind);
  });
});
