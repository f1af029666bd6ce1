import { describe, expect, it } from 'vitest';
import { gatewayApi, type GatewayApi } from '../../../preload/api.js';
import { createGatewayClient, type GatewayTransport } from '../../../preload/client.js';
import { GatewayApiError, type GatewayHandlers } from '../../../preload/define.js';
import { dispatchCall } from '../../../preload/dispatch.js';

const settings = {
  serverUrl: null,
  mainsHz: 50 as const,
  ecgSampleRateHz: 500 as const,
  ecgChunkSeconds: 60,
  watchAccelHz: 12.5,
  watchPpg: false,
  sweepSpeedMmPerS: 25 as const,
  gainMmPerMv: 10 as const,
  diskQuotaBytes: 2_000_000_000,
  operator: null,
};

/** Handlers for the calls these tests make; the rest reject, which the type requires to exist. */
function handlers(): GatewayHandlers<GatewayApi> {
  const unused = () => Promise.reject(new GatewayApiError('not_in_test', 'not used here'));
  const all = Object.fromEntries(
    Object.keys(gatewayApi.calls).map((name) => [name, unused]),
  ) as unknown as GatewayHandlers<GatewayApi>;
  return {
    ...all,
    'settings.get': () => Promise.resolve(settings),
    'settings.update': (input) => Promise.resolve({ ...settings, ...input }),
    'recording.stop': () => Promise.reject(new GatewayApiError('not_recording', 'no recording in progress')),
    'queue.status': () => Promise.reject(new Error('disk on fire')),
  };
}

function loopback(): GatewayTransport & { emit(event: string, payload: unknown): void } {
  const h = handlers();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  return {
    invoke: (call, input) => dispatchCall(gatewayApi, h, call, JSON.parse(JSON.stringify(input ?? null))),
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit(event, payload) {
      for (const l of listeners.get(event) ?? []) l(payload);
    },
  };
}

describe('gateway API table', () => {
  it('names calls noun.verb and events noun.pastTense', () => {
    for (const name of Object.keys(gatewayApi.calls)) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z0-9]*$/);
    for (const name of Object.keys(gatewayApi.events))
      expect(name).toMatch(/^[a-zA-Z]+\.(?:[a-z]+ed|found)$/);
  });
});

describe('dispatchCall', () => {
  it('answers an unknown call with unknown_call, including prototype names', async () => {
    expect(await dispatchCall(gatewayApi, handlers(), 'nope.nope', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_call' },
    });
    expect(await dispatchCall(gatewayApi, handlers(), 'toString', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_call' },
    });
    expect(await dispatchCall(gatewayApi, handlers(), 42, {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_call' },
    });
  });

  it('parses input on arrival and names the bad field', async () => {
    const result = await dispatchCall(gatewayApi, handlers(), 'settings.update', { mainsHz: 55 });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!result.ok && result.error.message).toContain('mainsHz');
  });

  it('keeps a handler error’s code and hides nothing else behind internal', async () => {
    expect(await dispatchCall(gatewayApi, handlers(), 'recording.stop', {})).toEqual({
      ok: false,
      error: { code: 'not_recording', message: 'no recording in progress' },
    });
    expect(await dispatchCall(gatewayApi, handlers(), 'queue.status', {})).toMatchObject({
      ok: false,
      error: { code: 'internal' },
    });
  });
});

describe('createGatewayClient', () => {
  it('round-trips a call through the transport and validates the output', async () => {
    const client = createGatewayClient(gatewayApi, loopback());
    await expect(client.invoke('settings.update', { mainsHz: 60 })).resolves.toMatchObject({
      mainsHz: 60,
      ecgSampleRateHz: 500,
    });
  });

  it('rejects bad input before it leaves the renderer', async () => {
    const client = createGatewayClient(gatewayApi, loopback());
    // @ts-expect-error 55 Hz mains is not a valid setting
    await expect(client.invoke('settings.update', { mainsHz: 55 })).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });

  it('surfaces a handler error as GatewayApiError with its code', async () => {
    const client = createGatewayClient(gatewayApi, loopback());
    await expect(client.invoke('recording.stop', {})).rejects.toMatchObject({
      name: 'GatewayApiError',
      code: 'not_recording',
    });
  });

  it('delivers valid events and drops payloads that break the contract', () => {
    const transport = loopback();
    const client = createGatewayClient(gatewayApi, transport);
    const seen: unknown[] = [];
    const off = client.on('alarms.raised', (alarm) => seen.push(alarm.code));
    const originalError = console.error;
    console.error = () => undefined;
    try {
      transport.emit('alarms.raised', {
        code: 'disk_full',
        severity: 'critical',
        message: 'Disk quota reached',
        atMs: 1,
      });
      transport.emit('alarms.raised', { code: 'bad', severity: 'apocalyptic', message: 'x', atMs: 1 });
    } finally {
      console.error = originalError;
    }
    off();
    transport.emit('alarms.raised', {
      code: 'late',
      severity: 'info',
      message: 'after unsubscribe',
      atMs: 2,
    });
    expect(seen).toEqual(['disk_full']);
  });
});
