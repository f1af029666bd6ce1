/**
 * The API explorer at `/docs`: Redoc's standalone bundle, served from `node_modules` (works
 * offline), rendering `/openapi.json`. The plain route table stays at `/docs/routes` (no
 * scripts), which `/docs` also falls back to when Redoc is not installed.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Context, Next } from 'koa';

/** Redoc injects its styles (styled-components) and runs its search index in a blob worker. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const EXPLORER_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PulseWatch ingest API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>a[href^="https://redocly.com"]{display:none}</style>
</head><body>
<redoc spec-url="/openapi.json" hide-download-button="false"></redoc>
<noscript><p>The explorer needs JavaScript; the route table without it: <a href="/docs/routes">/docs/routes</a>.</p></noscript>
<script src="/docs/redoc.standalone.js"></script>
</body></html>`;

/** Reads Redoc's standalone bundle, or undefined when the package is missing. */
export function loadRedocBundle(): string | undefined {
  try {
    const path = createRequire(import.meta.url).resolve('redoc/bundles/redoc.standalone.js');
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Serves `/docs`, `/docs/redoc.standalone.js` and `/docs/routes` (`routesPage`). */
export function apiExplorer(routesPage: string, bundle: string | undefined = loadRedocBundle()) {
  return async function docs(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      await next();
      return;
    }
    if ((ctx.path === '/docs' && bundle === undefined) || ctx.path === '/docs/routes') {
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = routesPage;
    } else if (ctx.path === '/docs') {
      ctx.set('content-security-policy', DOCS_CSP);
      ctx.type = 'text/html; charset=utf-8';
      ctx.body = EXPLORER_PAGE;
    } else if (ctx.path === '/docs/redoc.standalone.js' && bundle !== undefined) {
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('cache-control', 'public, max-age=86400');
      ctx.body = bundle;
    } else await next();
  };
}
