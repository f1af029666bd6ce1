/**
 * The desktop shell: app lifecycle, one window, and the IPC wiring of the gateway API. It only
 * wires (electron/fiddle's rule): the behaviour lives in the gateway core, shared with edge mode.
 * Every IPC call is refused unless it comes from our own window; events wait until the renderer
 * says it is ready (`app.ready`).
 */
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent } from 'electron';
import { join } from 'node:path';
import { gatewayApi } from '../../preload/api.js';
import { dispatchCall } from '../../preload/dispatch.js';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../preload/ipc-channels.js';
import { createGatewayCore, FieldCipher, type GatewayCore } from '../api/gateway-core.js';
import { EventGate, HELD_EVENTS_LIMIT, type EventHistory } from '../base/event-gate.js';
import { demoSimulators } from '../devices/demo-simulators.js';
import { safeStorageKeyProtector } from './key-protector.js';
import { DESKTOP_CSP, mayOpenExternally, permissionGranted } from './policy.js';

let mainWindow: BrowserWindow | undefined;
/** The core's alarms and rhythm events so far (api/recent-events.ts); none before the core exists. */
let history: EventHistory = () => [];
/** Events for the window, held (bounded) until its page says `app.ready`; a reloaded page hears the history first. */
const toWindow = new EventGate(
  (name, payload) => mainWindow?.webContents.send(IPC_EVENT_CHANNEL, name, payload),
  HELD_EVENTS_LIMIT,
  () => history(),
);

function isOurWindow(event: IpcMainInvokeEvent): boolean {
  return (
    mainWindow !== undefined &&
    event.sender === mainWindow.webContents &&
    event.senderFrame === mainWindow.webContents.mainFrame
  );
}

function setupIpc(core: GatewayCore): void {
  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, call: unknown, input: unknown) => {
    if (!isOurWindow(event))
      return { ok: false, error: { code: 'forbidden', message: 'not a PulseWatch window' } };
    const result = await dispatchCall(gatewayApi, core.handlers, call, input);
    if (call === 'app.ready' && result.ok) toWindow.open();
    return result;
  });
  history = () => core.recentEvents.snapshot();
  core.events.subscribe((name, payload) => toWindow.push(name, payload));
}

let serverUrl: () => string | null = () => null;

/** Permissions denied, and the CSP sent with every response of the app's own pages. */
function applySessionPolicy(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permissionGranted(permission)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permissionGranted(permission));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [DESKTOP_CSP] } }),
  );
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'PulseWatch',
    webPreferences: {
      preload: join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (mayOpenExternally(url, serverUrl())) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  // a reload or a crashed page starts again: hold events until the new page is ready
  window.webContents.on('did-start-loading', () => toWindow.close());
  window.on('closed', () => {
    mainWindow = undefined;
    toWindow.close();
  });
  void window.loadFile(join(__dirname, '..', 'renderer', 'index.html'));
  return window;
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const protector = await safeStorageKeyProtector();
  const core = createGatewayCore({
    dataDir,
    mode: 'desktop',
    version: app.getVersion(),
    ...(process.argv.includes('--simulate') ? { simulators: demoSimulators() } : {}),
    ...(protector === undefined
      ? {}
      : { fieldCipher: await FieldCipher.protectedInDataDir(dataDir, protector) }),
  });
  // an error nothing else caught is logged and reported to the server; the recording goes on
  process.on('uncaughtException', (error) => {
    console.error('PulseWatch: unexpected error (reported to the server):', error);
    core.reportError(error, { where: 'uncaughtException' });
  });
  process.on('unhandledRejection', (reason) => core.reportError(reason, { where: 'unhandledRejection' }));
  serverUrl = () => {
    try {
      return core.serverUrl();
    } catch {
      return null;
    }
  };
  applySessionPolicy();
  setupIpc(core);
  mainWindow = createWindow();
  app.on('second-instance', () => mainWindow?.focus());
  app.on('activate', () => {
    if (mainWindow === undefined) mainWindow = createWindow();
  });
  app.on('window-all-closed', () => {
    void core.close().then(() => app.quit());
  });
}

void main();
