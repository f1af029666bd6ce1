/**
 * A self-contained HTML page listing every route of the contract (method, path, roles, summary)
 * and every error code with its status, with a link to the OpenAPI document. No scripts, so the default CSP of koa-helmet applies.
 */
import { ERROR_STATUS, type RouteTable } from '../../server-contract/api/index.js';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The table's meanings are Markdown for the OpenAPI document: `name` becomes <code>name</code>. */
function codeSpans(html: string): string {
  return html.replace(/`([^`]+)`/g, '<code>$1</code>');
}

export function docsPage(table: RouteTable): string {
  const rows = Object.entries(table)
    .map(([name, r]) => {
      const roles = r.auth === 'public' ? 'public' : r.auth.join(', ');
      const statuses = Object.keys(r.responses).join(' ');
      return `<tr><td><code>${escapeHtml(r.method)}</code></td><td><code>${escapeHtml(r.path)}</code></td><td>${escapeHtml(name)}</td><td>${escapeHtml(roles)}</td><td>${escapeHtml(r.summary)}</td><td>${statuses}</td></tr>`;
    })
    .join('\n');
  const errors = Object.entries(ERROR_STATUS)
    .map(
      ([code, e]) =>
        `<tr><td><code>${code}</code></td><td>${e.status}</td><td>${codeSpans(escapeHtml(e.meaning))}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>PulseWatch ingest API</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}</style>
</head><body><h1>PulseWatch ingest API</h1>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1, generated from the route table). Errors always have the shape <code>{"error":{"code","message","issues?","requestId?"}}</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>name</th><th>who</th><th>what</th><th>statuses</th></tr></thead><tbody>
${rows}
</tbody></table>
<h2>Error codes</h2>
<table><thead><tr><th>code</th><th>status</th><th>meaning</th></tr></thead><tbody>
${errors}
</tbody></table></body></html>`;
}
