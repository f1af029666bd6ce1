/**
 * Chunk upload, keyed by (recording, stream, index). Before acknowledging, the server checks the
 * SHA-256 of the bytes against the header, decodes the chunk, checks its header against the
 * path, and expands its rows; the blob and rows are stored in one transaction. A repeat with
 * the same hash is a success that stores nothing; a different hash is 409.
 */
import { createHash } from 'node:crypto';
import { CHUNK_SHA256_HEADER } from '../../server-contract/api/index.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import type { Handlers } from '../http/router.js';
import { decodeAndExpand } from '../ingest/decode-task.js';
import type { Services } from '../services.js';
import { mustBePrincipal } from './shared.js';

export function chunkHandlers(s: Services): Pick<Handlers, 'chunks.upload'> {
  return {
    'chunks.upload': async ({ params, headers, body }, ctx) => {
      const { recordingId, stream, index } = params;
      const count = (outcome: string) => s.metrics.chunks.inc({ stream, outcome });
      // One statement reads the gateway's standing and the recording (the router left the
      // standing to this handler: see gatewayCheckedByHandler in app.ts).
      const principal = mustBePrincipal(ctx.principal);
      const upload = await s.store.getUploadContext(principal.id, recordingId);
      await s.auth.admitGateway(principal, upload.gateway);
      const recording = upload.recording;
      if (!recording) throw notFound('recording');
      if (recording.gatewayId !== principal.id) throw forbidden('this recording belongs to another gateway');
      if (recording.voidedAtMs !== null)
        throw new HttpError(409, 'recording_closed', 'this recording was voided');
      const finalCount = recording.finalChunkCounts?.[stream];
      if (finalCount !== undefined && index >= finalCount) {
        throw new HttpError(
          409,
          'recording_closed',
          `the recording ended with ${finalCount} ${stream} chunks; index ${index} is beyond it`,
        );
      }
      const claimed = headers[CHUNK_SHA256_HEADER];
      // Node's native SHA-256: the same digest as the contract's chunkSha256Hex, several times faster.
      const sha256 = createHash('sha256').update(body).digest('hex');
      if (sha256 !== claimed) {
        count('hash_mismatch');
        throw new HttpError(
          422,
          'chunk_hash_mismatch',
          `the bytes hash to ${sha256}, the ${CHUNK_SHA256_HEADER} header says ${claimed}`,
        );
      }
      const request = {
        recordingId,
        stream,
        index,
        bytes: body,
        recordingEcgRateHz: recording.ecgSampleRateHz,
      };
      const decoded = s.decoder ? await s.decoder.decode(request) : decodeAndExpand(request);
      if (!decoded.ok) {
        count(decoded.metric);
        throw new HttpError(decoded.status, decoded.code, decoded.message);
      }
      const expanded = decoded.expanded;
      const outcome = await s.store.putChunk({
        recordingId,
        stream,
        index,
        sha256,
        bytes: body,
        receivedAtMs: s.now(),
        ...expanded,
      });
      count(outcome);
      if (outcome === 'conflict')
        throw new HttpError(
          409,
          'chunk_conflict',
          `chunk ${stream}/${index} is already stored with another hash`,
        );
      if (outcome === 'stored') s.metrics.chunkBytes.inc({ stream }, body.byteLength);
      const ack = { recordingId, stream, index, sha256, stored: outcome === 'stored' };
      return outcome === 'stored' ? { status: 201, body: ack } : { status: 200, body: ack };
    },
  };
}
