/**
 * The desktop window's security policy (issue 14 finding 16): external links only to the clinic's
 * server and named documentation hosts over https, every permission request denied, and a CSP
 * that allows no connection beyond the app itself. main/electron/main.ts applies these; Electron
 * itself cannot run here, so the policy is tested as the plain functions it is.
 */
import { describe, expect, it } from 'vitest';
import { DESKTOP_CSP, mayOpenExternally, permissionGranted } from '../../../main/electron/policy.js';

const server = 'https://ingest.clinic.example:8443';

describe('desktop window policy', () => {
  it.each([
    ['https://ingest.clinic.example:8443/viewer', true],
    ['https://physionet.org/content/mitdb/', true],
    ['https://ingest.clinic.example/viewer', false], // another port is another origin
    ['http://ingest.clinic.example:8443/viewer', false],
    ['https://evil.example/phish', false],
    ['https://user:pw@ingest.clinic.example:8443/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('opens %s externally: %s', (url, allowed) => {
    expect(mayOpenExternally(url, server)).toBe(allowed);
  });

  it('opens nothing but the named documentation hosts when no server is set', () => {
    expect(mayOpenExternally(server, null)).toBe(false);
    expect(mayOpenExternally('https://physionet.org/', null)).toBe(true);
  });

  it.each(['media', 'geolocation', 'notifications', 'hid', 'serial', 'clipboard-read', 'openExternal'])(
    'denies the %s permission',
    (permission) => {
      expect(permissionGranted(permission)).toBe(false);
    },
  );

  it('allows connections to the app itself only', () => {
    const directives = Object.fromEntries(
      DESKTOP_CSP.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(DESKTOP_CSP).not.toMatch(/\bws:|\bwss:|\*/);
  });
});
