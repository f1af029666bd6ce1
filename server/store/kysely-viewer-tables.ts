/**
 * What the web viewer's pages read beyond the plain lists: the trend partials of a recording,
 * a stream's time span, and the enrollment codes IT sees. A layer of the kysely `Store` between
 * the document tables and the clinical data (see `kysely-auth-tables.ts` for why it is split).
 */
import { KyselyDocumentTables } from './kysely-document-tables.js';
import { applyRetention } from './retention.js';
import type {
  EnrollmentCodeInfo,
  RetentionResult,
  StreamSpan,
  TimeRange,
  TrendPartialRow,
  TrendVersion,
} from './store.js';
import type { TrendPartial, TrendSource } from './trend-rows.js';

export class KyselyViewerTables extends KyselyDocumentTables {
  async trendPartials(recordingId: string, range: TimeRange): Promise<TrendPartialRow[]> {
    const rows = await this.db
      .selectFrom('trend_rows')
      .select(['source', 't_ms', 'data_json'])
      .where('recording_id', '=', recordingId)
      .where('t_ms', '>=', range.fromMs)
      .where('t_ms', '<', range.toMs)
      .orderBy('t_ms')
      .execute();
    return rows.map((r) => ({
      source: r.source as TrendSource,
      tMs: r.t_ms,
      data: JSON.parse(r.data_json) as TrendPartial,
    }));
  }

  async trendVersion(recordingId: string): Promise<TrendVersion> {
    const r = await this.db
      .selectFrom('trend_rows')
      .select((eb) => [eb.fn.countAll().as('rows'), eb.fn.sum('chunk_index').as('chunk_index_sum')])
      .where('recording_id', '=', recordingId)
      .executeTakeFirst();
    // PostgreSQL answers count and sum as bigint/numeric text; SQLite as numbers (sum null when empty)
    return { rows: Number(r?.rows ?? 0), chunkIndexSum: Number(r?.chunk_index_sum ?? 0) };
  }

  async streamSpan(recordingId: string, stream: string): Promise<StreamSpan | undefined> {
    const r = await this.db
      .selectFrom('chunks')
      .select((eb) => [eb.fn.min('start_ms').as('start_ms'), eb.fn.max('end_ms').as('end_ms')])
      .where('recording_id', '=', recordingId)
      .where('stream', '=', stream)
      .executeTakeFirst();
    if (!r || r.start_ms === null || r.end_ms === null) return undefined;
    return { startMs: r.start_ms, endMs: r.end_ms };
  }

  async listEnrollmentCodes(limit: number): Promise<EnrollmentCodeInfo[]> {
    const rows = await this.db
      .selectFrom('enrollment_codes')
      .select(['label', 'created_at_ms', 'expires_at_ms', 'used_at_ms', 'used_by_gateway', 'for_gateway'])
      .orderBy('created_at_ms', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      label: r.label,
      createdAtMs: r.created_at_ms,
      expiresAtMs: r.expires_at_ms,
      usedAtMs: r.used_at_ms,
      usedByGatewayId: r.used_by_gateway,
      forGatewayId: r.for_gateway,
    }));
  }

  /** Removes recordings started before `cutoffMs` (see retention.ts), in one transaction. */
  async applyRetention(cutoffMs: number, dryRun: boolean): Promise<RetentionResult> {
    return this.db.transaction().execute((trx) => applyRetention(trx, this.dialect, cutoffMs, dryRun));
  }
}
