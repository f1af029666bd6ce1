/**
 * Serves the built web viewer (`dist/viewer`, made by `npm run build`) at `/`: files by path,
 * any other page path (no extension) answered with `index.html` so the viewer's own routes
 * load on reload, under a CSP for a script-only-from-self React app that talks to this origin.
 * API and operations paths never reach it, so their 404s stay JSON. When the viewer is not built,
 * `/` answers a short page saying how to build it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context, Next } from 'koa';
import sirv from 'sirv';

/** The folder the viewer's Vite build writes, relative to the working directory. */
export const VIEWER_DIST_DIR = join('dist', 'viewer');

/** CSP of the viewer: scripts and data only from this origin; styles may be set inline by React. */
export const VIEWER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the viewer never answers: the API, operations endpoints and the API explorer. */
const NOT_VIEWER = /^\/(v\d+|health|ready|live|metrics|openapi\.json|docs)(\/|$)/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PulseWatch server</title>
<style>body{font:16px system-ui,sans-serif;margin:3em;max-width:40em}code{background:#eee;padding:1px 4px}</style>
</head><body><h1>PulseWatch ingest server</h1>
<p>The server is running, but the web viewer is not built, so there is nothing to show here yet.</p>
<p>Build it in the project folder with <code>npm run build</code> (it writes <code>dist/viewer/</code>), then restart the server.</p>
<p>The API is at <a href="/docs">/docs</a> (explorer) and <a href="/openapi.json">/openapi.json</a>; health at <a href="/health">/health</a>.</p>
</body></html>`;

/** Whether `dir` holds a built viewer. */
export function viewerBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/** The middleware; `dir` defaults to `dist/viewer` under the working directory. */
export function viewerStatic(dir: string = resolve(VIEWER_DIST_DIR)) {
  const built = viewerBuilt(dir);
  const serve = built
    ? sirv(dir, { single: true, etag: true, dotfiles: false, gzip: false, brotli: false })
    : undefined;
  return async function viewer(ctx: Context, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || NOT_VIEWER.test(ctx.path)) {
      await next();
      return;
    }
    if (serve === undefined) {
      if (ctx.path !== '/') {
        await next();
        return;
      }
      ctx.set('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'");
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = NOT_BUILT_PAGE;
      return;
    }
    let missed = false;
    ctx.set('content-security-policy', VIEWER_CSP);
    ctx.state.routeName = 'viewer';
    // sirv looks its files up from a listing made at start, so a miss calls back synchronously.
    serve(ctx.req, ctx.res, () => {
      missed = true;
    });
    if (missed) {
      ctx.remove('content-security-policy');
      await next();
      return;
    }
    ctx.respond = false;
  };
}
