import { describe, expect, it } from 'vitest';
import { TypedEmitter } from '../../../main/base/typed-emitter.js';

interface Events {
  value: number;
  text: string;
  error: Error;
}

describe('TypedEmitter', () => {
  it('calls the listeners of an event in subscription order, and only those', () => {
    const emitter = new TypedEmitter<Events>();
    const calls: string[] = [];
    emitter.on('value', (v) => calls.push(`a${v}`));
    emitter.on('value', (v) => calls.push(`b${v}`));
    emitter.on('text', (t) => calls.push(t));
    emitter.emit('value', 1);
    expect(calls).toEqual(['a1', 'b1']);
  });

  it('unsubscribes with the function on() returns, one subscription at a time', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: number[] = [];
    const listener = (v: number) => seen.push(v);
    const offFirst = emitter.on('value', listener);
    emitter.on('value', listener);
    emitter.emit('value', 1);
    offFirst();
    emitter.emit('value', 2);
    expect(seen).toEqual([1, 1, 2]);
    expect(emitter.listenerCount('value')).toBe(1);
  });

  it('once() hears the next event only', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: number[] = [];
    emitter.once('value', (v) => seen.push(v));
    emitter.emit('value', 1);
    emitter.emit('value', 2);
    expect(seen).toEqual([1]);
    expect(emitter.listenerCount('value')).toBe(0);
  });

  it('does not call a listener subscribed during the emit that subscribed it', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: string[] = [];
    emitter.on('value', () => {
      seen.push('outer');
      emitter.on('value', () => seen.push('inner'));
    });
    emitter.emit('value', 1);
    expect(seen).toEqual(['outer']);
  });

  it('passes a listener exception to the caller of emit', () => {
    const emitter = new TypedEmitter<Events>();
    emitter.on('text', () => {
      throw new Error('listener failed');
    });
    expect(() => emitter.emit('text', 'x')).toThrow('listener failed');
  });

  it('treats an error event like any other (no listener: nothing thrown)', () => {
    const emitter = new TypedEmitter<Events>();
    expect(() => emitter.emit('error', new Error('unheard'))).not.toThrow();
  });

  it('removeAllListeners() silences every event', () => {
    const emitter = new TypedEmitter<Events>();
    const seen: unknown[] = [];
    emitter.on('value', (v) => seen.push(v));
    emitter.on('text', (t) => seen.push(t));
    emitter.removeAllListeners();
    emitter.emit('value', 1);
    emitter.emit('text', 'x');
    expect(seen).toEqual([]);
  });
});
