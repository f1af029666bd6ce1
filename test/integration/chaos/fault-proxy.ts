/**
 * A TCP proxy in front of the ingest server that cuts connections on purpose: each piece of data
 * it relays is, with probability `cutProbability` (seeded), the one where the connection is
 * destroyed after part of it — on the way to the server (a request cut mid-body) or on the way
 * back (the server stored the chunk, the gateway never hears so: the lost-ack case).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { seededRandom } from '../../fixtures/dsp/load.js';

export { seededRandom };

export class FaultProxy {
  cutProbability = 0;
  readonly counts = { connections: 0, cutRequests: 0, cutResponses: 0 };
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly targetPort: number,
    private readonly random: () => number,
  ) {}

  static async start(targetPort: number, seed: number): Promise<FaultProxy> {
    const random = seededRandom(seed);
    const holder: { proxy?: FaultProxy } = {};
    const server = createServer((client) => holder.proxy?.onConnection(client));
    const proxy = new FaultProxy(server, targetPort, random);
    holder.proxy = proxy;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy not listening');
    return `http://127.0.0.1:${address.port}`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: Socket): void {
    this.counts.connections++;
    const upstream = connect(this.targetPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    this.pipe(client, upstream, 'cutRequests');
    this.pipe(upstream, client, 'cutResponses');
  }

  /** Relays bytes; each piece of data may be the one the connection is cut in (part of it sent). */
  private pipe(from: Socket, to: Socket, counter: 'cutRequests' | 'cutResponses'): void {
    from.on('data', (data: Buffer) => {
      if (this.random() < this.cutProbability) {
        to.write(data.subarray(0, Math.floor(this.random() * data.length)));
        this.counts[counter]++;
        from.destroy();
        to.destroy();
        return;
      }
      to.write(data);
    });
    from.on('end', () => to.end());
  }
}
