import { useEffect, useState } from 'react';
import type { CallOutput, GatewayApi } from '../../preload/index-types.js';
import { gateway } from './gateway.js';

type AppInfo = CallOutput<GatewayApi, 'app.info'>;
type DeviceList = CallOutput<GatewayApi, 'devices.list'>;

/** The shell of the gateway UI: who we are, whether this is a simulation, and the devices. */
export function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [devices, setDevices] = useState<DeviceList>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const client = gateway();
    client.invoke('app.info', {}).then(setInfo, (e: unknown) => {
      setError(String(e));
    });
    client.invoke('devices.list', {}).then(setDevices, (e: unknown) => {
      setError(String(e));
    });
    void client.invoke('app.ready', {});
    return client.on('devices.changed', (status) => {
      setDevices((list) => [...list.filter((d) => key(d) !== key(status)), status]);
    });
  }, []);

  return (
    <main>
      {info?.simulated === true && (
        <div role="alert" className="simulated-banner">
          SIMULATED DEVICES — not patient data
        </div>
      )}
      <h1>PulseWatch gateway</h1>
      {error !== null && <p role="alert">{error}</p>}
      {info !== null && (
        <p>
          Version {info.version} · {info.mode} mode · gateway {info.gatewayId}
        </p>
      )}
      <h2>Devices</h2>
      <ul aria-label="devices">
        {devices.map((d) => (
          <li key={key(d)}>
            {d.kind === 'ecg12' ? `ECG-12 ${d.serial ?? d.path ?? ''}` : `Watch ${d.name}`}: {d.state} —{' '}
            {d.message}
          </li>
        ))}
      </ul>
    </main>
  );
}

function key(d: DeviceList[number]): string {
  return d.kind === 'ecg12' ? `ecg12:${d.serial ?? d.path ?? ''}` : `watch:${d.address}`;
}
