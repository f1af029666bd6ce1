/**
 * Starts the app on a port: plain HTTP (behind a reverse proxy, or on loopback) or HTTPS with
 * the configured certificate and key. `stop()` drains for a rolling restart: `/ready` answers 503
 * at once (and responses close their connection) while the server keeps serving for
 * `drainDelayMs`; then it stops accepting connections, lets in-flight requests (uploads) finish
 * within `shutdownGraceMs`, and closes the database. Calling `stop()` again ends the delay early.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Logger } from 'pino';
import type { PulseWatchApp } from './app.js';
import type { ServerConfig } from './config.js';
import type { Store } from './store/store.js';

export interface RunningServer {
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export async function serve(
  app: PulseWatchApp,
  store: Store,
  config: ServerConfig,
  log: Logger,
): Promise<RunningServer> {
  const tls = config.tlsCertFile !== undefined && config.tlsKeyFile !== undefined;
  const callback = app.callback();
  // Koa's callback handles its own errors; Node's listener type wants no promise back.
  const handler: Parameters<typeof createHttpServer>[1] = (req, res) => {
    // Draining: answer, then close the connection, so a proxy's kept-alive connection is not
    // reused for a request this replica would no longer accept.
    if (app.services.inFlight.isDraining) res.setHeader('connection', 'close');
    void callback(req, res);
  };
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: readFileSync(config.tlsCertFile!),
          key: readFileSync(config.tlsKeyFile!),
          minVersion: 'TLSv1.2',
        },
        handler,
      )
    : createHttpServer(handler);
  // Slow clients: whole request within 2 min, headers within 20 s; idle keep-alive sockets 5 s.
  server.requestTimeout = 120_000;
  server.headersTimeout = 20_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolveListen());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : config.port;
  const url = `${tls ? 'https' : 'http'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let stopping: Promise<void> | undefined;
  let endDelay: (() => void) | undefined;
  const stop = () => {
    if (stopping !== undefined) {
      endDelay?.();
      return stopping;
    }
    stopping = (async () => {
      const inFlight = app.services.inFlight;
      inFlight.beginDraining();
      if (config.drainDelayMs > 0) {
        log.info(
          { drainDelayMs: config.drainDelayMs, inFlight: inFlight.active },
          'draining: /ready answers 503 so the proxy stops routing here; still serving meanwhile',
        );
        await new Promise<void>((done) => {
          const timer = setTimeout(done, config.drainDelayMs);
          endDelay = () => {
            clearTimeout(timer);
            done();
          };
        });
      }
      log.info(
        { inFlight: inFlight.active },
        'shutting down: no new connections, finishing in-flight requests',
      );
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const left = await inFlight.drain(config.shutdownGraceMs);
      if (left > 0) log.warn({ left }, 'grace period over; closing remaining connections');
      server.closeAllConnections();
      await closed;
      await app.services.decoder?.close();
      await store.close();
      log.info('stopped');
    })();
    return stopping;
  };
  return { server, url, stop };
}
