/**
 * A small round-robin HTTP reverse proxy for the replica tests, behaving as nginx does with
 * `proxy_next_upstream error` and request buffering: each request goes to the next backend in
 * turn, over a fresh connection; when the backend cannot be reached or drops the connection before
 * answering, an idempotent request (GET, PUT, HEAD, DELETE) is sent to the next backend, with a
 * short pause once every backend has been tried. A non-idempotent request that fails so answers
 * 502. Counts what it forwarded to each backend, retries, and failures.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** How long a request may keep looking for a backend that answers. */
const GIVE_UP_AFTER_MS = 60_000;

export interface ProxyStats {
  /** Requests answered by each backend port. */
  answeredBy: Map<number, number>;
  /** Attempts that could not reach a backend (then retried). */
  retries: number;
  /** Requests answered 502 by the proxy itself. */
  failed: number;
}

/** A backend's answer, fully read. */
interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

export class RoundRobinProxy {
  readonly stats: ProxyStats = { answeredBy: new Map(), retries: 0, failed: 0 };
  private next = 0;
  private server: Server | undefined;
  url = '';

  constructor(private readonly backendPorts: number[]) {}

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      void this.handle(req).then(
        (answer) => {
          res.writeHead(answer.status, answer.headers);
          res.end(answer.body);
        },
        () => {
          this.stats.failed++;
          res.writeHead(502, { 'content-type': 'text/plain' });
          res.end('no backend answered');
        },
      );
    });
    this.server = server;
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const addr = server.address();
    this.url = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }

  private async handle(req: IncomingMessage): Promise<Answer> {
    const chunks: Buffer[] = [];
    for await (const piece of req) chunks.push(piece as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const port = this.backendPorts[this.next++ % this.backendPorts.length]!;
      try {
        const answer = await forward(port, req, body);
        this.stats.answeredBy.set(port, (this.stats.answeredBy.get(port) ?? 0) + 1);
        return answer;
      } catch (error) {
        if (!IDEMPOTENT.has(method) || Date.now() - started > GIVE_UP_AFTER_MS) throw error;
        this.stats.retries++;
        if ((attempt + 1) % this.backendPorts.length === 0) await sleep(50);
      }
    }
  }
}

/** One attempt on one backend; rejects when the connection fails before a full answer. */
function forward(port: number, req: IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolveAnswer, reject) => {
    const headers = { ...req.headers, host: `127.0.0.1:${port}`, connection: 'close' };
    const out = httpRequest(
      { host: '127.0.0.1', port, method: req.method, path: req.url, headers, agent: false },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (piece: Buffer) => parts.push(piece));
        res.on('error', reject);
        res.on('aborted', () => reject(new Error('backend aborted the answer')));
        res.on('end', () => {
          const { connection: _connection, ...rest } = res.headers;
          resolveAnswer({ status: res.statusCode ?? 502, headers: rest, body: Buffer.concat(parts) });
        });
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}
