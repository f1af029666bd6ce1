/**
 * The desktop window's security policy as plain functions (no `electron` import, so it is tested
 * in Node): which external links may open in the system browser, which permission requests a
 * page gets (none), and the Content-Security-Policy of the UI. main.ts applies them.
 *
 * - External links: https only, to the clinic's own ingest server (its viewer and API docs) and
 *   the project's documentation hosts named here; anything else is refused, not opened.
 * - Permissions (camera, microphone, geolocation, notifications, HID, serial in the renderer…):
 *   the UI needs none — devices are the main process's — so every request is denied.
 * - CSP: scripts and connections to the app itself only; the desktop UI talks over IPC, so it
 *   needs no network connection at all (`connect-src 'self'`, not `ws: wss:` to any host).
 */

/** Hosts whose https pages may open in the system browser besides the configured server. */
export const EXTERNAL_HOSTS: readonly string[] = ['physionet.org'];

/** True when `url` may open in the system browser (`serverUrl`: the gateway's ingest server). */
export function mayOpenExternally(url: string, serverUrl: string | null): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:' || target.username !== '' || target.password !== '') return false;
  if (EXTERNAL_HOSTS.includes(target.hostname)) return true;
  if (serverUrl === null) return false;
  try {
    return new URL(serverUrl).origin === target.origin;
  } catch {
    return false;
  }
}

/** Every permission request of the renderer is refused: it needs none. */
export function permissionGranted(_permission: string): boolean {
  return false;
}

/** The UI's Content-Security-Policy in the desktop app (sent as a response header). */
export const DESKTOP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
