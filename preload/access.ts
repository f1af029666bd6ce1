/**
 * Several pages may watch one gateway (edge mode: several browser tabs or desks), one controls.
 * A watching page may make only the calls listed here — they read and change nothing — and
 * `app.takeControl`; every other call, including any call added to the table later, needs the
 * controlling page. Desktop has one window, which always controls.
 */
import type { GatewayApi } from './api.js';
import type { CallName } from './define.js';

/** Calls a watching (not controlling) page may make. */
export const WATCHER_CALLS: ReadonlySet<CallName<GatewayApi>> = new Set<CallName<GatewayApi>>([
  'app.info',
  'app.ready',
  'app.takeControl',
  'devices.list',
  'devices.listSerialPorts',
  'operators.list',
  'desk.get',
  'patients.list',
  'patients.get',
  'recording.current',
  'recording.list',
  'queue.status',
  'sync.status',
  'settings.get',
  'reports.list',
  'reports.pdf',
]);

/** The error a watching page gets for a call that needs control (stable code `view_only`). */
export const VIEW_ONLY_ERROR = {
  code: 'view_only',
  message:
    'This page is view only: another page controls this gateway. Choose "Take control" to use it here.',
} as const;
