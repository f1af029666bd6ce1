/**
 * Starts the app on a port: plain HTTP (behind a reverse proxy, or on loopback) or HTTPS with
 * the configured certificate and key. `stop()` stops accepting connections, lets in-flight
 * requests (uploads) finish within the grace period, then closes the database.
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
  const stop = () =>
    (stopping ??= (async () => {
      log.info(
        { inFlight: app.services.inFlight.active },
        'shutting down: no new connections, finishing in-flight requests',
      );
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const left = await app.services.inFlight.drain(config.shutdownGraceMs);
      if (left > 0) log.warn({ left }, 'grace period over; closing remaining connections');
      server.closeAllConnections();
      await closed;
      await app.services.decoder?.close();
      await store.close();
      log.info('stopped');
    })());
  return { server, url, stop };
}
