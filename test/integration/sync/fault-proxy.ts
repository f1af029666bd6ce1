/**
 * A TCP proxy between the gateway and the ingest server that breaks chosen requests: it follows
 * HTTP/1.1 request boundaries on each (keep-alive) connection, and for a request matching a rule
 * either cuts both connections after N bytes of the request (the server gets a partial request,
 * the gateway a reset), or forwards the whole request and cuts both connections as soon as the
 * server's answer arrives, before the gateway sees it (the lost-ack case: the server has stored
 * it, the gateway must send it again, and the repeat must be harmless), or flips one byte of it
 * (damaged in transit).
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type Fault =
  | { kind: 'cut_request'; afterBytes: number }
  | { kind: 'drop_response' }
  /** Flips the request body's byte at `bodyByte` (damaged in transit). */
  | { kind: 'flip_byte'; bodyByte: number };

export interface FaultRule {
  /** Matched against the request line, e.g. `PUT /v1/recordings/…/chunks/1 HTTP/1.1`. */
  match: RegExp;
  fault: Fault;
  /** How many matching requests to break (default 1). */
  times?: number;
}

export interface FaultProxy {
  url: string;
  /** Request lines that were broken, with the fault applied. */
  broken: { line: string; fault: Fault['kind'] }[];
  close(): Promise<void>;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** Tracks request boundaries on one client→server byte stream (Content-Length bodies). */
class RequestCursor {
  private head = Buffer.alloc(0);
  /** Where the request whose header is being read started, relative to the current packet. */
  private headStart = 0;
  private bodyLeft = 0;
  /** A chunked body: boundaries unknown from here on, pass through. */
  private opaque = false;

  /** Feeds one packet; returns the requests whose header ends in it, with their start offset in it (may be < 0). */
  feed(data: Buffer): { line: string; offset: number; headerBytes: number }[] {
    const found: { line: string; offset: number; headerBytes: number }[] = [];
    let i = 0;
    while (i < data.length && !this.opaque) {
      if (this.bodyLeft > 0) {
        const take = Math.min(this.bodyLeft, data.length - i);
        this.bodyLeft -= take;
        i += take;
        continue;
      }
      if (this.head.length === 0) this.headStart = i;
      const before = this.head.length;
      this.head = Buffer.concat([this.head, data.subarray(i)]);
      const end = this.head.indexOf(HEADER_END);
      if (end < 0) break;
      i += end + HEADER_END.length - before;
      const text = this.head.subarray(0, end).toString('latin1');
      found.push({
        line: text.split('\r\n', 1)[0] ?? '',
        offset: this.headStart,
        headerBytes: end + HEADER_END.length,
      });
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
      this.opaque = /\r\ntransfer-encoding:\s*chunked/i.test(text);
      this.bodyLeft = length ? Number(length[1]) : 0;
      this.head = Buffer.alloc(0);
    }
    if (this.head.length > 0) this.headStart -= data.length;
    return found;
  }
}

/** Starts the proxy on 127.0.0.1 in front of `targetPort`. */
export async function startFaultProxy(targetPort: number, rules: FaultRule[]): Promise<FaultProxy> {
  const remaining = rules.map((rule) => ({ ...rule, left: rule.times ?? 1 }));
  const broken: FaultProxy['broken'] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(client).add(upstream);
    const cursor = new RequestCursor();
    let dropNextResponse = false;
    let cutAt: number | null = null;
    let flipAt: number | null = null;
    const kill = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('error', kill);
    upstream.on('error', kill);
    client.on('data', (data: Buffer) => {
      for (const start of cursor.feed(data)) {
        const rule = remaining.find((r) => r.left > 0 && r.match.test(start.line));
        if (!rule) continue;
        rule.left--;
        broken.push({ line: start.line, fault: rule.fault.kind });
        if (rule.fault.kind === 'drop_response') dropNextResponse = true;
        else if (rule.fault.kind === 'flip_byte')
          flipAt = start.offset + start.headerBytes + rule.fault.bodyByte;
        else cutAt = start.offset + rule.fault.afterBytes;
      }
      if (flipAt !== null) {
        if (flipAt < data.length) {
          data = Buffer.from(data);
          data[flipAt] = data[flipAt]! ^ 0xff;
          flipAt = null;
        } else flipAt -= data.length;
      }
      if (cutAt !== null) {
        // Forward the request's first bytes, then cut both sides.
        if (cutAt >= data.length) {
          upstream.write(data);
          cutAt -= data.length;
          return;
        }
        upstream.write(data.subarray(0, Math.max(0, cutAt)), () => setTimeout(kill, 20));
        cutAt = null;
        client.pause();
        return;
      }
      upstream.write(data);
    });
    upstream.on('data', (data: Buffer) => {
      if (dropNextResponse) {
        kill();
        return;
      }
      client.write(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    broken,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
