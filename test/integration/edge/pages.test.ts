/**
 * Several pages on one edge gateway (in-process host on 127.0.0.1 with a real gateway core and
 * real WebSocket clients): a page hears events only after `app.ready`; the first page controls and
 * the others watch (view-only calls refused with `view_only`, reads allowed) until one takes
 * control or the controller leaves. And the diagnostics bundle: a zip with the gateway's log and
 * state, without the patient's details.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { createGatewayCore, type GatewayCore } from '../../../main/api/gateway-core.js';
import { REPLAYED_EVENTS } from '../../../main/api/recent-events.js';
import { ensureUiBuilt } from '../../../main/edge/build-ui.js';
import { startEdgeHost, type EdgeHost } from '../../../main/edge/host.js';

const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-edge-pages-'));
let core: GatewayCore;
let host: EdgeHost;
let origin: string;

interface Page {
  socket: WebSocket;
  events: { event: string; payload: unknown }[];
  call(call: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>;
}

/** Every page a test opened: one a failed test left open would keep control from the next test's page. */
const opened: WebSocket[] = [];

async function openPage(): Promise<Page> {
  const socket = new WebSocket(`${origin.replace('http', 'ws')}/gateway-ws`, { origin });
  opened.push(socket);
  const events: Page['events'] = [];
  const waiting = new Map<number, (result: never) => void>();
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as {
      id?: number;
      result?: never;
      event?: string;
      payload?: unknown;
    };
    if (message.id !== undefined) waiting.get(message.id)?.(message.result!);
    else if (message.event !== undefined) events.push({ event: message.event, payload: message.payload });
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    events,
    call: (call, input = {}) =>
      new Promise((resolve) => {
        const id = nextId++;
        waiting.set(id, resolve);
        socket.send(JSON.stringify({ id, call, input }));
      }),
  };
}

afterEach(async () => {
  const open = opened.splice(0).filter((socket) => socket.readyState !== WebSocket.CLOSED);
  await Promise.all(
    open.map((socket) => {
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.close();
      return closed;
    }),
  );
});

const roles = (page: Page) =>
  page.events.filter((e) => e.event === 'session.changed').map((e) => e.payload as { controlling: boolean });

beforeAll(async () => {
  core = createGatewayCore({
    dataDir: join(dir, 'data'),
    mode: 'edge',
    version: '0.0.0-test',
    listPorts: () => Promise.resolve([]),
  });
  host = await startEdgeHost({
    core,
    staticDir: ensureUiBuilt(() => undefined),
    host: '127.0.0.1',
    port: 0,
    log: () => undefined,
  });
  origin = new URL(host.url).origin;
});
afterAll(async () => {
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('pages on one edge gateway', () => {
  it('holds events until the page is ready; one page controls, the others watch until they take control', async () => {
    const first = await openPage();
    const second = await openPage();
    // nothing flows before app.ready, though the roles changed twice already
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(first.events).toEqual([]);
    expect(await first.call('app.ready')).toMatchObject({ ok: true });
    expect(await second.call('app.ready')).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(roles(second).at(-1)).toEqual({ controlling: false, pages: 2 }));
    expect(roles(first).at(-1)).toEqual({ controlling: true, pages: 2 });

    // the watching page may read, not change
    expect(await second.call('settings.get')).toMatchObject({ ok: true });
    expect(await second.call('settings.update', { mainsHz: 60 })).toMatchObject({
      ok: false,
      error: { code: 'view_only' },
    });
    expect(await first.call('settings.update', { mainsHz: 60 })).toMatchObject({ ok: true });

    // taking control swaps the roles
    expect(await second.call('app.takeControl')).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(roles(first).at(-1)).toEqual({ controlling: false, pages: 2 }));
    expect(await first.call('settings.update', { mainsHz: 50 })).toMatchObject({
      error: { code: 'view_only' },
    });
    expect(await second.call('settings.update', { mainsHz: 50 })).toMatchObject({ ok: true });

    // the controller leaves: the remaining page controls
    second.socket.close();
    await vi.waitFor(() => expect(roles(first).at(-1)).toEqual({ controlling: true, pages: 1 }));
    first.socket.close();
  });

  it('tells a page opened during an alarm the alarms and rhythm events before it, then what follows', async () => {
    const t = Date.now();
    const onset = { tMs: t - 4_000, kind: 'ventricular_flutter_fibrillation' as const };
    const vf = {
      code: 'test_vf',
      severity: 'critical' as const,
      message: 'Ventricular flutter/fibrillation',
      atMs: t,
    };
    const quota = { code: 'test_quota', severity: 'warning' as const, message: 'Disk quota', atMs: t + 1 };
    core.events.emit('events.recorded', onset);
    core.events.emit('alarms.raised', vf);
    core.events.emit('alarms.raised', quota);
    core.events.emit('alarms.cleared', { code: 'test_quota', atMs: t + 2 });
    const history = [
      { event: 'events.recorded', payload: onset },
      { event: 'alarms.raised', payload: vf },
      { event: 'alarms.raised', payload: quota },
      { event: 'alarms.cleared', payload: { code: 'test_quota', atMs: t + 2 } },
    ];
    const ofThisTest = (e: { event: string }) => REPLAYED_EVENTS.has(e.event);

    const late = await openPage();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(late.events).toEqual([]); // still held until the page is ready
    expect(await late.call('app.ready')).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(late.events.filter(ofThisTest)).toEqual(history));
    // then live events, after the history (other events, such as the sync state's, may come between)
    core.events.emit('alarms.cleared', { code: 'test_vf', atMs: t + 9 });
    await vi.waitFor(() =>
      expect(late.events.filter(ofThisTest).at(-1)).toEqual({
        event: 'alarms.cleared',
        payload: { code: 'test_vf', atMs: t + 9 },
      }),
    );
    // a page that reconnects hears it all again (the UI's reducers take what they hold as no change)
    late.socket.close();
    const again = await openPage();
    await again.call('app.ready');
    await vi.waitFor(() =>
      expect(again.events.filter(ofThisTest)).toEqual([
        ...history,
        { event: 'alarms.cleared', payload: { code: 'test_vf', atMs: t + 9 } },
      ]),
    );
    again.socket.close();
  });

  it('exports a diagnostics bundle with the log and the state, and no patient details', async () => {
    const page = await openPage();
    await page.call('app.ready');
    const patient = await page.call('patients.create', {
      studyCode: 'DIAG-SECRET-7',
      notes: 'allergic to nothing in particular',
      identity: { name: 'Zed Quux' },
    });
    expect(patient).toMatchObject({ ok: true });
    const result = await page.call('app.diagnostics');
    expect(result.ok).toBe(true);
    const bundle = result.value as { fileName: string; bytes: number; contentBase64: string };
    expect(bundle.fileName).toMatch(/^pulsewatch-diagnostics-.*\.zip$/);
    const files = unzipSync(Buffer.from(bundle.contentBase64, 'base64'));
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining(['README.txt', 'info.json', 'settings.json', 'sync.json', 'logs/gateway.log']),
    );
    const everything = Object.values(files)
      .map((bytes) => strFromU8(bytes))
      .join('\n');
    expect(everything).toContain('gateway starting');
    expect(everything).not.toMatch(/DIAG-SECRET-7|Zed Quux|allergic/);
    page.socket.close();
  });
});
