/**
 * Independent readers for the export tests: biosig's `save2gdf` (Debian `biosig-tools`) for EDF+,
 * and the official FHIR R4 JSON schema (the subset in test/fixtures/fhir) checked by ajv.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

const run = promisify(execFile);

/** What biosig makes of an EDF+ file. `samples`: [seconds after the header's start, 12+ values]. */
export interface BiosigEdf {
  /** The header's reserved field (EDF+C / EDF+D), read from the bytes. */
  type: string;
  patient: string;
  labels: string[];
  samples: [number, number[]][];
  events: string[];
}

interface BiosigJson {
  Samplingrate: number;
  StartOfRecording: string;
  Patient?: { Id?: string };
  CHANNEL: { Label: string }[];
  EVENT?: { TYP: string; POS: number; TimeStamp: string; Description: string }[];
}

function epochMs(stamp: string): number {
  return Date.parse(`${stamp.replace(' ', 'T')}Z`);
}

/** Runs `save2gdf -JSON` and `save2gdf -CSV` on the bytes and maps every row to its time. */
export async function readEdfWithBiosig(bytes: Uint8Array): Promise<BiosigEdf> {
  const dir = mkdtempSync(join(tmpdir(), 'pulsewatch-edf-'));
  try {
    const file = join(dir, 'x.edf');
    writeFileSync(file, bytes);
    const json = await run('save2gdf', ['-JSON', file], { maxBuffer: 64 * 1024 * 1024 });
    const text = json.stdout.slice(json.stdout.indexOf('{')).replace(/\t/g, ' ');
    const info = JSON.parse(text) as BiosigJson;
    await run('save2gdf', ['-CSV', file, join(dir, 'x.csv')], { maxBuffer: 64 * 1024 * 1024 });
    const rows = readFileSync(join(dir, 'x.csv'), 'utf8').trim().split('\n').slice(1);
    const start = epochMs(info.StartOfRecording);
    const segments = (info.EVENT ?? [])
      .filter((e) => e.TYP === '0x7ffe')
      .map((e) => ({
        row: Math.round(e.POS * info.Samplingrate),
        timeS: Math.round(epochMs(e.TimeStamp) - start) / 1000,
      }));
    const samples: [number, number[]][] = rows.map((line, n) => {
      const seg = segments.filter((s) => s.row <= n).pop() ?? { row: 0, timeS: 0 };
      return [seg.timeS + (n - seg.row) / info.Samplingrate, line.split(',').map(Number)];
    });
    return {
      type: Buffer.from(bytes.subarray(192, 197)).toString('latin1'),
      patient: Buffer.from(bytes.subarray(8, 88)).toString('latin1'),
      labels: info.CHANNEL.map((c) => c.Label),
      samples,
      events: (info.EVENT ?? []).filter((e) => e.TYP !== '0x7ffe').map((e) => e.Description),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { id, ...schema } = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../fixtures/fhir/r4-export-subset.schema.json'), 'utf8'),
) as Record<string, unknown>;
// The R4 schema names itself with draft-04's `id`; ajv wants draft-06's `$id`.
schema.$id = id;
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addMetaSchema(draft6);
const validate = ajv.compile(schema);

/** Schema errors of a Bundle (`instancePath: message`), empty when it is valid R4. */
export function validateFhirBundle(bundle: unknown): string[] {
  if (validate(bundle)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e) => `${e.instancePath}: ${e.message ?? ''}`);
}
