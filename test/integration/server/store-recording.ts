/**
 * A patient and one simulated recording written straight into a store, for tests (and their child
 * processes) that exercise the store without the HTTP API, and the ingest benchmark's raw insert.
 */
import type { KyselyStore } from '../../../server/store/kysely-store.js';

/**
 * Creates patient `p-<recordingId>` and the recording `recordingId` (500 Hz ECG, simulated),
 * both created at `atMs` (default 0).
 */
export async function withRecording(store: KyselyStore, recordingId: string, atMs = 0): Promise<void> {
  const patientId = `p-${recordingId}`;
  await store.createPatient({
    id: patientId,
    studyCode: `S-${recordingId}`,
    ageYears: null,
    sex: null,
    studyGroup: null,
    notes: null,
    identitySealed: null,
    gatewayId: null,
    createdAtMs: atMs,
    updatedAtMs: atMs,
  });
  await store.createRecording({
    id: recordingId,
    patientId,
    gatewayId: 'g',
    operatorId: 'o',
    operatorName: 'O',
    devices: [],
    simulated: true,
    startedAtMs: atMs,
    ecgSampleRateHz: 500,
    mainsHz: null,
    createdAtMs: atMs,
  });
}
