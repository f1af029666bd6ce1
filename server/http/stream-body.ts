/**
 * Writes a streamed response body (an async iterable of pieces) to the socket one piece at a
 * time: the next piece is pulled only once the previous one has been handed to the kernel (the
 * write callback). So a slow client holds back the producer (backpressure), at most one piece is
 * in flight, and producers may reuse one buffer for every piece (the exports do: their memory
 * does not depend on the export's length). Every {@link MAX_RUN_MS} it lets the event loop turn.
 */
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * Longest run of pieces without a turn of the event loop: a socket that takes every write at
 * once completes them without one, and a long export would hold up every other request.
 */
const MAX_RUN_MS = 20;

/** Resolves true once `piece` is written, false when the connection closed first. */
function writePiece(res: ServerResponse, piece: Uint8Array | string): Promise<boolean> {
  return new Promise((resolve) => {
    if (res.destroyed) {
      resolve(false);
      return;
    }
    const onClose = () => resolve(false);
    res.once('close', onClose);
    res.write(piece, (err) => {
      res.off('close', onClose);
      resolve(err === undefined || err === null);
    });
  });
}

/**
 * Sends `body` as the rest of the response (status and headers are already set on `res`). A
 * producer error after the first byte cannot become an error response: it is logged and the
 * connection is destroyed, so the client sees a truncated transfer, never a complete-looking one.
 * A client that goes away stops the producer (its `return` runs, closing cursors).
 */
export async function sendStreamBody(
  res: ServerResponse,
  body: AsyncIterable<Uint8Array | string>,
  log: Logger,
): Promise<void> {
  const iterator = body[Symbol.asyncIterator]();
  let finished = false;
  let runStarted = performance.now();
  try {
    for (;;) {
      if (performance.now() - runStarted > MAX_RUN_MS) {
        await nextTurn();
        runStarted = performance.now();
      }
      const next = await iterator.next();
      if (next.done === true) {
        finished = true;
        break;
      }
      if (next.value.length === 0) continue;
      if (!(await writePiece(res, next.value))) return;
    }
    await new Promise<void>((resolve) => {
      res.once('close', resolve);
      res.end(() => resolve());
    });
  } catch (err) {
    finished = true;
    log.error({ err }, 'streamed response failed after its headers were sent');
    res.destroy();
  } finally {
    if (!finished) {
      res.destroy();
      await iterator.return?.(undefined);
    }
  }
}
