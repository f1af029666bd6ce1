import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CSP } from '../../../server/ops/api-explorer.js';
import { VIEWER_CSP } from '../../../server/ops/viewer-static.js';
import { startTestServer, type TestServer } from './harness.js';

let bare: TestServer;
let built: TestServer;
let viewerDir: string;
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b.js"></script></head><body><div id="root"></div></body></html>';

beforeAll(async () => {
  viewerDir = mkdtempSync(join(tmpdir(), 'pulsewatch-viewer-'));
  mkdirSync(join(viewerDir, 'assets'));
  writeFileSync(join(viewerDir, 'index.html'), INDEX);
  writeFileSync(join(viewerDir, 'assets', 'app-1a2b.js'), 'console.log("viewer");');
  bare = await startTestServer();
  built = await startTestServer({ viewerDir });
});

afterAll(async () => {
  await bare.close();
  await built.close();
  rmSync(viewerDir, { recursive: true, force: true });
});

describe('the web viewer at /', () => {
  it('says how to build the viewer when it is not built, instead of a 404', async () => {
    const res = await bare.http.get('/');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    expect(res.text).toContain('npm run build');
    expect(res.text).toContain('dist/viewer/');
  });

  it('serves index.html with the viewer CSP at / and for the viewer’s own page paths', async () => {
    for (const path of ['/', '/recordings/0192abcd', '/it/gateways']) {
      const res = await built.http.get(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe(INDEX);
      expect(res.headers['content-security-policy']).toBe(VIEWER_CSP);
    }
  });

  it('serves the built assets by path and a missing asset as a 404', async () => {
    const asset = await built.http.get('/assets/app-1a2b.js');
    expect(asset.status).toBe(200);
    expect(asset.text).toBe('console.log("viewer");');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    const missing = await built.http.get('/assets/gone-9z9z.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('leaves API and operations paths to the API: JSON 404s, health, 405s', async () => {
    for (const t of [bare, built]) {
      const unknown = await t.http.get('/v1/no-such-route');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ error: { code: 'not_found' } });
      expect((await t.http.get('/health')).body).toMatchObject({ status: 'ok' });
      expect((await t.http.post('/')).status).toBe(404);
    }
    expect((await bare.http.get('/anything-else')).status).toBe(404);
  });
});

describe('the API explorer at /docs', () => {
  it('serves Redoc from node_modules rendering /openapi.json, under a CSP that allows only this origin', async () => {
    const page = await built.http.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(DOCS_CSP);
    expect(page.text).toContain('<redoc spec-url="/openapi.json"');
    const src = /<script src="([^"]+)"/.exec(page.text)?.[1];
    expect(src).toBe('/docs/redoc.standalone.js');
    const bundle = await built.http.get(src!);
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(500_000);
    expect(bundle.text).toContain('Redoc');
  });

  it('keeps the script-free route table at /docs/routes', async () => {
    const res = await built.http.get('/docs/routes');
    expect(res.text).toContain('/v1/recordings/:recordingId/page');
    expect(res.text).toContain('/v1/recordings/:recordingId/trends');
  });
});
