/**
 * A TCP proxy on 127.0.0.1 that relays every connection to a target port untouched and counts
 * the bytes each way — everything HTTP puts on the wire: request lines, headers, bodies, chunked
 * framing, responses. (Adapted from test/integration/chaos/fault-proxy.ts, without the faults.)
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

/** Bytes relayed so far. */
export interface ProxyCounts {
  connections: number;
  /** Gateway → server. */
  requestBytes: number;
  /** Server → gateway. */
  responseBytes: number;
}

export class CountingProxy {
  private readonly counts: ProxyCounts = { connections: 0, requestBytes: 0, responseBytes: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
  ) {}

  /** Listens on a free port of 127.0.0.1 and relays to `targetPort` there. */
  static async start(targetPort: number): Promise<CountingProxy> {
    const holder: { proxy?: CountingProxy } = {};
    const server = createServer((client) => holder.proxy?.relay(client));
    const proxy = new CountingProxy(server, targetPort);
    holder.proxy = proxy;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy is not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  /** A copy of the counters. */
  snapshot(): ProxyCounts {
    return { ...this.counts };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private relay(client: Socket): void {
    this.counts.connections++;
    const upstream = connect(this.targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (data: Buffer) => (this.counts.requestBytes += data.length));
    upstream.on('data', (data: Buffer) => (this.counts.responseBytes += data.length));
    // pipe() keeps back-pressure and half-closes; the listeners above only count
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
