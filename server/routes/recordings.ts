/** Recordings: start, end, lists, corrections (reassign, void) and chunk completeness. */
import { StreamNameSchema } from '../../server-contract/api/index.js';
import { forbidden, HttpError, notFound } from '../errors.js';
import type { Handlers } from '../http/router.js';
import type { Services } from '../services.js';
import {
  decodeCursor,
  loadRecording,
  mustBePrincipal,
  pageBody,
  patientGone,
  recordingDto,
} from './shared.js';

type Range = [number, number];

/** Sorted indexes to inclusive ranges: [0,1,2,5] → [[0,2],[5,5]]. */
export function toRanges(sorted: readonly number[]): Range[] {
  const out: Range[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i === last[1] + 1) last[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** Indexes below `limit` absent from `sorted`, as ranges. */
export function missingRanges(sorted: readonly number[], limit: number): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const i of sorted) {
    if (i >= limit) break;
    if (i > next) out.push([next, i - 1]);
    next = i + 1;
  }
  if (next < limit) out.push([next, limit - 1]);
  return out;
}

export function recordingHandlers(
  s: Services,
): Pick<
  Handlers,
  | 'recordings.create'
  | 'recordings.end'
  | 'recordings.list'
  | 'recordings.get'
  | 'recordings.reassign'
  | 'recordings.void'
  | 'chunks.list'
> {
  return {
    'recordings.create': async ({ body }, ctx) => {
      const gateway = mustBePrincipal(ctx.principal);
      const patient = await s.store.getPatient(body.patientId);
      if (!patient) {
        if (await s.store.isPatientErased(body.patientId)) throw patientGone();
        throw notFound('patient');
      }
      // As update and reassign: a gateway records only on its own patients (the reply would
      // otherwise hand it another gateway's patient's study code).
      if (patient.gatewayId !== gateway.id) throw forbidden('this patient was created by another gateway');
      const { recording, created } = await s.store.createRecording({
        id: body.id,
        patientId: body.patientId,
        gatewayId: gateway.id,
        operatorId: body.operator.id,
        operatorName: body.operator.name,
        devices: body.devices,
        simulated: body.simulated || body.devices.some((d) => d.simulated),
        startedAtMs: body.startedAtMs,
        ecgSampleRateHz: body.ecgSampleRateHz ?? null,
        mainsHz: body.mainsHz ?? null,
        createdAtMs: s.now(),
        processing: body.processing ?? null,
      });
      if (recording.gatewayId !== gateway.id)
        throw new HttpError(409, 'conflict', 'this recording id belongs to another gateway');
      const view = (await s.store.getRecording(recording.id))!;
      return { status: created ? 201 : 200, body: recordingDto(view) };
    },
    'recordings.end': async ({ params, body }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      if (recording.voidedAtMs !== null)
        throw new HttpError(409, 'recording_closed', 'this recording was voided');
      if (
        recording.endedAtMs !== null &&
        JSON.stringify(recording.finalChunkCounts) !== JSON.stringify(body.finalChunkCounts)
      ) {
        throw new HttpError(409, 'conflict', 'this recording already ended with other final chunk counts');
      }
      await s.store.endRecording(recording.id, body.endedAtMs, body.finalChunkCounts, body.summary);
      return { status: 200, body: recordingDto((await s.store.getRecording(recording.id))!) };
    },
    'recordings.list': async ({ query }) => {
      const page = await s.store.listRecordings(
        { limit: query.limit, after: decodeCursor(query.cursor) },
        { patientId: query.patientId, gatewayId: query.gatewayId, status: query.status },
      );
      return { status: 200, body: pageBody(page, recordingDto) };
    },
    'recordings.get': async ({ params }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      return { status: 200, body: recordingDto((await s.store.getRecording(recording.id))!) };
    },
    'recordings.reassign': async ({ params, body }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      const recording = await loadRecording(s, actor, params.recordingId);
      const target = await s.store.getPatient(body.patientId);
      if (!target) throw notFound('patient');
      if (actor.kind === 'gateway' && target.gatewayId !== actor.id)
        throw forbidden('a gateway may reassign only to its own patients');
      await s.store.reassignRecording(recording.id, target.id);
      await s.audit.record(actor, 'recordings.reassign', recording.id, {
        fromPatientId: recording.patientId,
        toPatientId: target.id,
        reason: body.reason,
      });
      return { status: 200, body: recordingDto((await s.store.getRecording(recording.id))!) };
    },
    'recordings.void': async ({ params, body }, ctx) => {
      const actor = mustBePrincipal(ctx.principal);
      const recording = await loadRecording(s, actor, params.recordingId);
      if (recording.voidedAtMs === null) {
        await s.store.voidRecording(recording.id, s.now(), body.reason);
        await s.audit.record(actor, 'recordings.void', recording.id, { reason: body.reason });
      }
      return { status: 200, body: recordingDto((await s.store.getRecording(recording.id))!) };
    },
    'chunks.list': async ({ params }, ctx) => {
      const recording = await loadRecording(s, ctx.principal, params.recordingId);
      const have = await s.store.chunkIndexes(recording.id);
      const finals = recording.finalChunkCounts ?? {};
      const names = StreamNameSchema.options.filter((n) => have.has(n) || finals[n] !== undefined);
      const streams = names.map((stream) => {
        const indexes = have.get(stream) ?? [];
        const finalCount = finals[stream] ?? null;
        const limit = finalCount ?? (indexes.length > 0 ? indexes[indexes.length - 1]! + 1 : 0);
        return {
          stream,
          received: indexes.length,
          finalCount,
          have: toRanges(indexes),
          missing: missingRanges(indexes, limit),
        };
      });
      const complete =
        recording.endedAtMs !== null &&
        streams.every((st) => st.finalCount !== null && st.missing.length === 0);
      return { status: 200, body: { recordingId: recording.id, complete, streams } };
    },
  };
}
