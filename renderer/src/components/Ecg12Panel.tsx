import { useEffect, useState } from 'react';
import { LEADS, type Ecg12Status, type SerialPortInfo } from '../api-types.js';
import { useCall } from '../use-gateway.js';
import { ElectrodeMap } from './ElectrodeMap.js';
import { ErrorNote } from './ErrorNote.js';

const QUALITY_TEXT = {
  good: 'good',
  noisy: 'noisy',
  flat: 'flat',
  saturated: 'saturated',
  lead_off: 'lead off',
} as const;

/** The ECG-12 unit: serial ports (units first), connect/disconnect, and the unit's live status. */
export function Ecg12Panel({ status }: { status: Ecg12Status | null }) {
  const [ports, setPorts] = useState<SerialPortInfo[] | null>(null);
  const [path, setPath] = useState('');
  const portsCall = useCall();
  const connectCall = useCall();
  const { run: listPorts } = portsCall;

  const refresh = async (): Promise<void> => {
    const list = await listPorts('devices.listSerialPorts', {});
    if (list !== null) setPorts(list);
  };
  useEffect(() => {
    void refresh();
  }, []);

  const connected = status !== null && status.state !== 'disconnected';
  return (
    <section className="panel" aria-labelledby="ecg12-heading">
      <h2 id="ecg12-heading">ECG-12 unit</h2>
      <div className="row">
        <label htmlFor="port-select">Serial port</label>
        <select id="port-select" value={path} onChange={(e) => setPath(e.target.value)}>
          <option value="">Find the unit automatically</option>
          {ports?.map((p) => (
            <option key={p.path} value={p.path}>
              {p.path} {p.isEcg12 ? '— ECG-12 unit' : ''} {p.manufacturer ?? ''} {p.serialNumber ?? ''}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void refresh()} disabled={portsCall.pending}>
          Refresh ports
        </button>
      </div>
      {ports !== null && ports.length === 0 && (
        <p className="hint">No serial ports found. Plug the unit in and refresh.</p>
      )}
      <ErrorNote error={portsCall.error} what="Listing ports" />
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={connectCall.pending}
          onClick={() => void connectCall.run('devices.connectEcg12', path === '' ? {} : { path })}
        >
          {path === '' ? 'Connect (find unit)' : `Connect to ${path}`}
        </button>
        <button
          type="button"
          disabled={connectCall.pending || !connected}
          onClick={() => void connectCall.run('devices.disconnectEcg12', {})}
        >
          Disconnect
        </button>
      </div>
      <ErrorNote error={connectCall.error} what="ECG-12" />
      {status === null ? <p className="hint">No unit connected.</p> : <Ecg12Details status={status} />}
    </section>
  );
}

function Ecg12Details({ status }: { status: Ecg12Status }) {
  const streaming = status.state === 'streaming';
  return (
    <div className="device-details">
      <p className={`state state-${status.state}`}>
        <strong>{status.state.replace('_', ' ')}</strong> — {status.message}
      </p>
      <dl className="facts">
        <dt>Unit</dt>
        <dd>
          {status.serial ?? '—'} {status.simulated && <span className="sim-tag">SIMULATED</span>}
        </dd>
        <dt>Port</dt>
        <dd>{status.path ?? '—'}</dd>
        <dt>Firmware</dt>
        <dd>{status.firmware ?? '—'}</dd>
        <dt>Rate</dt>
        <dd>{status.sampleRateHz === null ? '—' : `${status.sampleRateHz} Hz`}</dd>
        <dt>Battery</dt>
        <dd>{status.batteryPct === null ? '—' : `${Math.round(status.batteryPct)} %`}</dd>
      </dl>
      <h3>Electrodes</h3>
      <ElectrodeMap leadOff={status.leadOff} known={streaming || status.state === 'connected'} />
      <h3>Signal quality</h3>
      <ul className="chips" aria-label="Signal quality per lead">
        {LEADS.map((lead) => {
          const q = streaming ? status.quality[lead] : undefined;
          return (
            <li
              key={lead}
              className={q === undefined ? 'chip' : q === 'good' ? 'chip chip-good' : 'chip chip-bad'}
            >
              {lead}: {q === undefined ? '—' : QUALITY_TEXT[q]}
            </li>
          );
        })}
      </ul>
      <h3>Counters</h3>
      <dl className="facts counters">
        <dt>Frames</dt>
        <dd>{status.counters.frames.toLocaleString('en')}</dd>
        <dt>CRC errors</dt>
        <dd>{status.counters.crcErrors.toLocaleString('en')}</dd>
        <dt>Sample sets lost</dt>
        <dd>{status.counters.sampleSetsLost.toLocaleString('en')}</dd>
        <dt>Reconnects</dt>
        <dd>{status.counters.reconnects.toLocaleString('en')}</dd>
        <dt>Bytes discarded</dt>
        <dd>{status.counters.bytesDiscarded.toLocaleString('en')}</dd>
      </dl>
    </div>
  );
}
