/**
 * Research exports over HTTP from SQLite and from a real PostgreSQL: a recording uploaded as real
 * chunks comes back as WFDB (read by our reader, equal to the input exactly), EDF+ (read by
 * biosig's `save2gdf`, samples compared), FHIR R4 (validated against the official R4 JSON schema
 * of the resources it uses), CSV with a data dictionary, and a zip of all of them; behind the
 * researcher role, audited, de-identified unless an admin asks, with progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzipSync, strFromU8 } from 'fflate';
import { v7 as uuidv7 } from 'uuid';
import {
  decodeWfdbSignals,
  parseMitAnnotations,
  parseWfdbHeader,
  WFDB_INVALID_SAMPLE,
} from '../../../server-contract/formats/wfdb.js';
import { openPostgresStore } from '../../../server/store/postgres.js';
import type { Store } from '../../../server/store/store.js';
import { startPostgres, type RunningPostgres } from './embedded-pg.js';
import {
  acquiredAt,
  BEATS,
  FRAME_COUNT,
  LSB_NV,
  PROCESSING,
  RATE_HZ,
  uploadExportRecording,
} from './export-fixture.js';
import { readEdfWithBiosig, validateFhirBundle } from './export-readers.js';
import { bearer, enrollGateway, staffToken, startTestServer, T0, type TestServer } from './harness.js';

/** Expected 12 leads at a frame, exported integers (augmented leads in half counts). */
function expectedLeads(frame: number): number[] | undefined {
  const a = acquiredAt(frame);
  if (!a) return undefined;
  const [i, ii, ...v] = a as [number, number, ...number[]];
  return [i, ii, ii - i, -(i + ii), 2 * i - ii, 2 * ii - i, ...v];
}

function binary(res: { body: unknown }): Uint8Array {
  return new Uint8Array(res.body as Buffer);
}

async function download(t: TestServer, token: string, query: string) {
  return t.http
    .get(`/v1/exports?${query}`)
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => done(null, Buffer.concat(parts)));
    });
}

describe.each(['sqlite', 'postgres'] as const)('exports from %s', (dialect) => {
  let pg: RunningPostgres | undefined;
  let store: Store | undefined;
  let t: TestServer;
  let admin: string;
  let researcher: string;
  let ids: { patientId: string; studyCode: string; recordingId: string };

  beforeAll(async () => {
    if (dialect === 'postgres') {
      pg = await startPostgres();
      store = await openPostgresStore(await pg.createDatabase('exports'));
    }
    t = await startTestServer(store ? { store } : {});
    admin = await staffToken(t, 'admin');
    researcher = await staffToken(t, 'researcher');
    const gw = await enrollGateway(t, admin);
    ids = await uploadExportRecording(t, gw.token);
  }, 120_000);

  afterAll(async () => {
    await t.close();
    await store?.close();
    await pg?.stop();
  });

  it('writes WFDB that our reader reads back equal to the uploaded samples, gaps as -32768, beats as annotations', async () => {
    const res = await download(t, researcher, `format=wfdb&recordingId=${ids.recordingId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const files = unzipSync(binary(res));
    const header = parseWfdbHeader(strFromU8(files['recording.hea']!));
    expect(header).toMatchObject({ samplingFrequencyHz: RATE_HZ, sampleCount: FRAME_COUNT });
    expect(header.signals.map((s) => s.description)).toEqual([
      'I',
      'II',
      'III',
      'aVR',
      'aVL',
      'aVF',
      'V1',
      'V2',
      'V3',
      'V4',
      'V5',
      'V6',
    ]);
    expect(header.signals[0]!.gain).toBeCloseTo(1e6 / LSB_NV, 6);
    expect(header.signals[3]!.gain).toBeCloseTo(2e6 / LSB_NV, 6);
    expect(header.comments).toEqual(
      expect.arrayContaining([
        'simulated: true',
        'beat_detector: pw-qrs 2.1',
        "display_filters: HP:0.5Hz LP:40Hz N:50Hz (stored samples are the device's, unfiltered)",
      ]),
    );
    expect(header.comments.join('\n')).not.toContain('Ada');
    const signals = decodeWfdbSignals(header, (name) => files[name]!);
    for (let f = 0; f < FRAME_COUNT; f++) {
      const want = expectedLeads(f) ?? Array<number>(12).fill(WFDB_INVALID_SAMPLE);
      const got = signals.map((s) => s[f]);
      if (got.some((v, l) => v !== want[l])) expect({ frame: f, got }).toEqual({ frame: f, got: want });
    }
    const atr = parseMitAnnotations(files['recording.atr']!);
    expect(atr.map((a) => [a.sample, a.symbol])).toEqual(
      BEATS.map((b) => [Math.round(((b.tMs - T0) * RATE_HZ) / 1000), b.beatClass]),
    );
  });

  it('writes EDF+D that biosig reads with the same samples, the events as annotations and no identity', async () => {
    const res = await download(t, researcher, `format=edf&recordingId=${ids.recordingId}`);
    expect(res.status).toBe(200);
    const edf = await readEdfWithBiosig(binary(res));
    expect(edf.type).toBe('EDF+D');
    expect(edf.patient).not.toContain('Ada');
    expect(edf.labels.slice(0, 12)).toEqual([
      'ECG I',
      'ECG II',
      'ECG III',
      'ECG aVR',
      'ECG aVL',
      'ECG aVF',
      'ECG V1',
      'ECG V2',
      'ECG V3',
      'ECG V4',
      'ECG V5',
      'ECG V6',
    ]);
    let compared = 0;
    for (const [timeS, values] of edf.samples) {
      const frame = Math.round(timeS * RATE_HZ);
      const want = expectedLeads(frame);
      if (!want) {
        // −32768, below the declared digital minimum: the missing-sample marker.
        expect(values.slice(0, 12).every((v, l) => v < (l >= 3 && l <= 5 ? -7700 : -15400))).toBe(true);
        continue;
      }
      want.forEach((digital, l) => {
        const uv = (digital * LSB_NV) / 1000 / (l >= 3 && l <= 5 ? 2 : 1);
        // biosig prints 6 significant digits.
        expect(Math.abs(values[l]! - uv)).toBeLessThanOrEqual(0.005 + 1e-5 * Math.abs(uv));
      });
      compared++;
    }
    expect(compared).toBe(1300 + 1700 + 1000);
    expect(edf.events).toEqual(
      expect.arrayContaining([
        'pvc V1',
        'gap: device reconnected',
        'marker: patient coughed',
        'SIMULATED recording',
      ]),
    );
  });

  it('writes a FHIR R4 Bundle that the R4 schema accepts, with MDC lead codes and LOINC numeric results', async () => {
    const res = await download(t, researcher, `format=fhir&recordingId=${ids.recordingId}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = JSON.parse(strFromU8(binary(res))) as FhirBundle;
    expect(validateFhirBundle(bundle)).toEqual([]);
    const observations = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Observation');
    const ecg = observations.filter((o) => o.code.coding[0]!.code === '131328');
    expect(ecg).toHaveLength(2); // frames 0-4999 and 5000-5999 (the 10-s segments with samples)
    const lead2 = ecg[0]!.component!.find((c) => c.code.coding[0]!.code === '131330')!;
    expect(lead2.code.coding[0]!.system).toBe('urn:oid:2.16.840.1.113883.6.24');
    const data = lead2.valueSampledData!.data.split(' ');
    expect(data).toHaveLength(5000);
    expect(data[1300]).toBe('E');
    expect(Number(data[10])).toBe(acquiredAt(10)![1]);
    expect(lead2.valueSampledData!.factor).toBeCloseTo(LSB_NV / 1000, 9);
    const loinc = new Set(observations.map((o) => o.code.coding[0]!.code));
    for (const code of ['8867-4', '8625-6', '8633-0', '8634-8', '8636-3', '80404-7'])
      expect(loinc).toContain(code);
    const patient = bundle.entry.find((e) => e.resource.resourceType === 'Patient')!.resource;
    expect(JSON.stringify(patient)).not.toContain('Ada');
    expect(
      JSON.stringify(
        bundle.entry.find(
          (e) => e.resource.resourceType === 'Device' && JSON.stringify(e).includes('pw-qrs'),
        ),
      ),
    ).toContain('2.1');
  });

  it('zips every format with the CSV series and their data dictionary, and reports progress under the exportId', async () => {
    const exportId = uuidv7();
    const res = await download(
      t,
      researcher,
      `format=zip&recordingId=${ids.recordingId}&exportId=${exportId}`,
    );
    expect(res.status).toBe(200);
    const files = unzipSync(binary(res));
    expect(Object.keys(files).sort()).toEqual(
      expect.arrayContaining([
        'recording.hea',
        'recording.dat',
        'recording.atr',
        'recording.edf',
        'recording.fhir.json',
        'csv/data-dictionary.csv',
        'csv/beats.csv',
        'csv/measurements.csv',
        'provenance.txt',
      ]),
    );
    const dictionary = strFromU8(files['csv/data-dictionary.csv']!);
    expect(dictionary).toContain('measurements.csv,qtc_fridericia_ms,ms,');
    expect(dictionary).toContain('ecg.csv,aVR_uv,uV,');
    expect(strFromU8(files['csv/beats.csv']!).trim().split('\r\n')).toHaveLength(BEATS.length + 1);
    const progress = await t.http.get(`/v1/exports/${exportId}/progress`).set(bearer(researcher));
    expect(progress.body).toMatchObject({
      exportId,
      state: 'done',
      fractionDone: 1,
      unitsDone: 4000 * 3,
      unitsTotal: 4000 * 3,
    });
    expect((progress.body as { bytesSent: number }).bytesSent).toBe(binary(res).length);
    const other = await t.http.get(`/v1/exports/${exportId}/progress`).set(bearer(admin));
    expect(other.status).toBe(404);
  });

  it('exports the 12 leads as CSV in microvolts, leaving gaps out', async () => {
    const res = await t.http
      .get(`/v1/exports?format=csv&series=ecg&recordingId=${ids.recordingId}`)
      .set(bearer(researcher));
    expect(res.status).toBe(200);
    const lines = res.text.trim().split('\r\n');
    expect(lines).toHaveLength(4000 + 1);
    const first = lines[1]!.split(',');
    expect(Number(first[3])).toBe(T0);
    expect(Number(first[8])).toBeCloseTo((-(acquiredAt(0)![0]! + acquiredAt(0)![1]!) * LSB_NV) / 2000, 3);
  });

  it('keeps exports to researchers and admins, identity to admins who ask, and audits each one', async () => {
    const clinician = await staffToken(t, 'clinician');
    expect(
      (await t.http.get(`/v1/exports?format=edf&recordingId=${ids.recordingId}`).set(bearer(clinician)))
        .status,
    ).toBe(403);
    expect(
      (
        await t.http
          .get(`/v1/exports?format=edf&recordingId=${ids.recordingId}&includeIdentity=true`)
          .set(bearer(researcher))
      ).status,
    ).toBe(403);
    const res = await download(t, admin, `format=edf&recordingId=${ids.recordingId}&includeIdentity=true`);
    expect(strFromU8(binary(res).subarray(8, 88))).toContain('Ada_Lovelace');
    const wfdb = unzipSync(
      binary(await download(t, admin, `format=wfdb&recordingId=${ids.recordingId}&includeIdentity=true`)),
    );
    expect(parseWfdbHeader(strFromU8(wfdb['recording.hea']!)).comments).toContain('name: Ada Lovelace');
    const fhir = strFromU8(
      binary(await download(t, admin, `format=fhir&recordingId=${ids.recordingId}&includeIdentity=true`)),
    );
    expect(fhir).toContain('"name":[{"text":"Ada Lovelace"}]');
    const audit = await t.http.get('/v1/audit?limit=100').set(bearer(admin));
    const actions = (
      audit.body as { items: { action: string; target: string; detail: string }[] }
    ).items.filter((e) => e.target === ids.patientId);
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['exports.wfdb', 'exports.edf', 'exports.fhir', 'exports.zip', 'exports.csv']),
    );
    expect(
      actions
        .filter((a) => a.detail.includes('"includeIdentity":true'))
        .map((a) => a.action)
        .sort(),
    ).toEqual(['exports.edf', 'exports.fhir', 'exports.wfdb']);
  });

  it.each([
    [
      'both a patient and a recording',
      (i: typeof ids) => `format=edf&patientId=${i.patientId}&recordingId=${i.recordingId}`,
      'query.patientId',
    ],
    ['neither a patient nor a recording', () => 'format=edf', 'query.patientId'],
    [
      'a CSV without its series',
      (i: typeof ids) => `format=csv&recordingId=${i.recordingId}`,
      'query.series',
    ],
    [
      'ECG CSV for a patient',
      (i: typeof ids) => `format=csv&series=ecg&patientId=${i.patientId}`,
      'query.recordingId',
    ],
    [
      'an unknown zip part',
      (i: typeof ids) => `format=zip&formats=wfdb,pdf&recordingId=${i.recordingId}`,
      'query.formats',
    ],
  ])('answers 400 naming the field for %s', async (_, query, path) => {
    const res = await t.http.get(`/v1/exports?${query(ids)}`).set(bearer(researcher));
    expect(res.status).toBe(400);
    const issues = (res.body as { error: { issues: { path: string }[] } }).error.issues;
    expect(issues.map((i) => i.path)).toContain(path);
  });

  it('refuses a voided recording (409) and an exportId already in use (409)', async () => {
    const gw = await enrollGateway(t, admin);
    const other = await uploadExportRecording(t, gw.token, false);
    const exportId = uuidv7();
    const first = await download(
      t,
      researcher,
      `format=edf&recordingId=${other.recordingId}&exportId=${exportId}`,
    );
    expect(first.status).toBe(200);
    const again = await t.http
      .get(`/v1/exports?format=edf&recordingId=${other.recordingId}&exportId=${exportId}`)
      .set(bearer(researcher));
    expect(again.status).toBe(409);
    const voided = await t.http
      .post(`/v1/recordings/${other.recordingId}/void`)
      .set(bearer(admin))
      .send({ reason: 'wrong patient, test' });
    expect(voided.status).toBe(200);
    const res = await t.http
      .get(`/v1/exports?format=wfdb&recordingId=${other.recordingId}`)
      .set(bearer(researcher));
    expect(res.status).toBe(409);
  });

  it('exports a patient time range as one zip with a folder per recording, and refuses an empty range', async () => {
    const res = await download(
      t,
      researcher,
      `format=zip&formats=wfdb,fhir&patientId=${ids.patientId}&fromMs=${T0}&toMs=${T0 + 5000}`,
    );
    expect(res.status).toBe(200);
    const files = unzipSync(binary(res));
    const header = parseWfdbHeader(strFromU8(files[`${ids.recordingId}/recording.hea`]!));
    expect(header.sampleCount).toBe(2500);
    expect(PROCESSING.detector.version).toBe('2.1');
    const empty = await t.http
      .get(`/v1/exports?format=wfdb&patientId=${ids.patientId}&fromMs=${T0 - 100_000}&toMs=${T0 - 50_000}`)
      .set(bearer(researcher));
    expect(empty.status).toBe(404);
  });
});

interface FhirBundle {
  entry: {
    resource: {
      resourceType: string;
      code: { coding: { system: string; code: string }[] };
      component?: {
        code: { coding: { system: string; code: string }[] };
        valueSampledData?: { data: string; factor: number };
      }[];
    };
  }[];
}
