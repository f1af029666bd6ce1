/**
 * A patient and one simulated recording written straight into a store, for tests (and their child
 * processes) that exercise the store without the HTTP API.
 */
import type { KyselyStore } from '../../../server/store/kysely-store.js';

/** Creates patient `p-<recordingId>` and the recording `recordingId` (500 Hz ECG, simulated). */
export async function withRecording(store: KyselyStore, recordingId: string): Promise<void> {
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
    createdAtMs: 0,
    updatedAtMs: 0,
  });
  await store.createRecording({
    id: recordingId,
    patientId,
    gatewayId: 'g',
    operatorId: 'o',
    operatorName: 'O',
    devices: [],
    simulated: true,
    startedAtMs: 0,
    ecgSampleRateHz: 500,
    mainsHz: null,
    createdAtMs: 0,
  });
}
