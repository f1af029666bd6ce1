import { useState } from 'react';
import type { FoundWatch, PairingOffer, Patient, WatchStatus } from '../api-types.js';
import { mergeFound } from '../format/found-watches.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PairDialog } from './PairDialog.js';
import { WatchCard } from './WatchCard.js';

/** Default scan length, ms. */
const SCAN_MS = 8000;

interface Props {
  watches: readonly WatchStatus[];
  patient: Patient | null;
}

/** Bangle.js watches: scan, pair to the chosen patient, and the paired watches (each naming its patient). */
export function WatchesPanel({ watches, patient }: Props) {
  const [found, setFound] = useState<FoundWatch[]>([]);
  const [scanning, setScanning] = useState(false);
  const [pairing, setPairing] = useState<{ address: string; offer: PairingOffer; studyCode: string } | null>(
    null,
  );
  const scan = useCall();
  const pair = useCall();

  useGatewayEvent('watches.found', (w) => setFound((list) => mergeFound(list, [w], scanning)));

  const startScan = async (): Promise<void> => {
    setFound([]);
    setScanning(true);
    const result = await scan.run('devices.scanWatches', { durationMs: SCAN_MS });
    setScanning(false);
    setFound((list) => mergeFound(list, result ?? []));
  };
  const startPair = async (address: string): Promise<void> => {
    if (patient === null) return;
    const offer = await pair.run('devices.pairWatch', { address, patientId: patient.id });
    if (offer !== null) setPairing({ address, offer, studyCode: patient.studyCode });
  };
  const answer = async (matches: boolean): Promise<void> => {
    if (pairing === null) return;
    await pair.run('devices.confirmPairing', { address: pairing.address, matches });
    setPairing(null);
  };
  const boundTo = new Map(watches.filter((w) => w.patientId !== null).map((w) => [w.address, w]));

  return (
    <section className="panel" aria-labelledby="watches-heading">
      <h2 id="watches-heading">Watches</h2>
      <div className="row">
        <button type="button" className="primary" disabled={scan.pending} onClick={() => void startScan()}>
          {scan.pending ? 'Scanning…' : 'Scan for watches'}
        </button>
        <span className="hint">
          {patient === null ? 'Choose a patient before pairing.' : `Pairs to patient ${patient.studyCode}.`}
        </span>
      </div>
      <ErrorNote error={scan.error} what="Scan" />
      {found.length > 0 && (
        <div className="table-scroll">
          <table className="found">
            <caption>{scanning ? 'Watches nearby (scanning…)' : 'Watches nearby, nearest first'}</caption>
            <thead>
              <tr>
                <th scope="col">Watch</th>
                <th scope="col">Signal</th>
                <th scope="col">
                  <span className="sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {found.map((w) => (
                <tr key={w.address}>
                  <td>
                    {w.name} {w.simulated && <span className="sim-tag">SIMULATED</span>}
                    <br />
                    <span className="mono small">{w.address}</span> ·{' '}
                    <span className="small">
                      {w.kind === 'uart' ? 'Bangle.js (full)' : 'Heart rate only'}
                    </span>
                  </td>
                  <td>{w.rssiDbm} dBm</td>
                  <td>
                    {boundTo.has(w.address) ? (
                      <span className="small">Paired</span>
                    ) : (
                      <button
                        type="button"
                        disabled={patient === null || pair.pending}
                        onClick={() => void startPair(w.address)}
                      >
                        Pair {w.name}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorNote error={pair.error} what="Pairing" />
      {pairing !== null && (
        <PairDialog
          address={pairing.address}
          offer={pairing.offer}
          studyCode={pairing.studyCode}
          pending={pair.pending}
          onAnswer={(m) => void answer(m)}
        />
      )}
      {watches.length === 0 ? (
        <p className="hint">No watch paired.</p>
      ) : (
        watches.map((w) => <WatchCard key={w.address} watch={w} />)
      )}
    </section>
  );
}
