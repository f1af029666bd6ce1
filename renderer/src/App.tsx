import { useEffect, useRef, useState } from 'react';
import type { AppInfo, DeviceStatus, Ecg12Status, Patient, Settings, WatchStatus } from './api-types.js';
import { AlarmStrip } from './components/AlarmStrip.js';
import { Ecg12Panel } from './components/Ecg12Panel.js';
import { EcgView } from './components/EcgView.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { ErrorNote } from './components/ErrorNote.js';
import { EventsPanel } from './components/EventsPanel.js';
import { MeasurementsPanel } from './components/MeasurementsPanel.js';
import { RecordingPanel } from './components/RecordingPanel.js';
import { DiagnosticsExport } from './components/DiagnosticsExport.js';
import { usePageRole, ViewOnlyBanner } from './components/PageRole.js';
import { SettingsPanel } from './components/SettingsPanel.js';
import { SimulatedBanner } from './components/SimulatedBanner.js';
import { SyncPanel } from './components/SyncPanel.js';
import { WatchesPanel } from './components/WatchesPanel.js';
import { gateway } from './gateway.js';
import { useCall, useGatewayEvent } from './use-gateway.js';

/** The gateway UI: live ECG and measurements on top, devices, recording and settings below. */
export function App() {
  if (window.gateway === undefined)
    return (
      <main className="panel">
        <h1>PulseWatch gateway</h1>
        <p role="alert" className="note note-error">
          No connection to the gateway: open PulseWatch from the desktop app or the edge host.
        </p>
      </main>
    );
  return <Gateway />;
}

function Gateway() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [devices, setDevices] = useState<ReadonlyMap<string, DeviceStatus>>(new Map());
  const [settings, setSettings] = useState<Settings | null>(null);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [simulatedData, setSimulatedData] = useState<readonly string[]>([]);
  const seenSimulated = useRef(new Set<string>());
  const role = usePageRole();
  const infoCall = useCall();
  const settingsCall = useCall();
  const { run: runInfo } = infoCall;
  const { run: runSettings } = settingsCall;

  useEffect(() => {
    void runInfo('app.info', {}).then(setInfo);
    void runInfo('devices.list', {}).then((list) => {
      if (list !== null) setDevices(new Map(list.map((d) => [deviceKey(d), d])));
    });
    void runSettings('settings.get', {}).then((s) => s !== null && setSettings(s));
    void gateway()
      .invoke('app.ready', {})
      .catch(() => undefined);
  }, [runInfo, runSettings]);

  useGatewayEvent('devices.changed', (d) => setDevices((m) => new Map(m).set(deviceKey(d), d)));
  const noteSimulated = (source: string, simulated: boolean): void => {
    if (!simulated || seenSimulated.current.has(source)) return;
    seenSimulated.current.add(source);
    setSimulatedData([...seenSimulated.current]);
  };
  useGatewayEvent('ecg.received', (b) => noteSimulated(`ECG-12 ${b.deviceSerial}`, b.simulated));
  useGatewayEvent('watch.received', (b) =>
    noteSimulated(`watch ${watchName(devices, b.address)}`, b.simulated),
  );

  const updateSettings = async (patch: Partial<Settings>): Promise<void> => {
    const next = await runSettings('settings.update', patch);
    if (next !== null) setSettings(next);
  };

  const all = [...devices.values()];
  const ecg12 = all.find((d): d is Ecg12Status => d.kind === 'ecg12') ?? null;
  const watches = all.filter((d): d is WatchStatus => d.kind === 'watch');
  const sources = [
    ...(info?.simulated === true ? ['gateway in demo mode'] : []),
    ...all
      .filter((d) => d.simulated && d.state !== 'disconnected')
      .map((d) => (d.kind === 'ecg12' ? `ECG-12 ${d.serial ?? 'unit'}` : `watch ${d.name}`)),
    ...simulatedData,
  ];

  return (
    <>
      <SimulatedBanner sources={[...new Set(sources)]} />
      <header className="topbar">
        <h1>PulseWatch gateway</h1>
        {info !== null && (
          <p className="app-info">
            <span>Version {info.version}</span> · <span>{info.mode} mode</span> ·{' '}
            <span className="mono">gateway {info.gatewayId}</span>
          </p>
        )}
        <nav aria-label="Sections">
          <a href="#ecg-heading">ECG</a> <a href="#ecg12-heading">ECG-12 unit</a>{' '}
          <a href="#watches-heading">Watches</a> <a href="#rec-heading">Recording</a>{' '}
          <a href="#events-heading">Events</a> <a href="#sync-heading">Upload</a>{' '}
          <a href="#settings-heading">Settings</a>
        </nav>
      </header>
      <ErrorNote error={infoCall.error} what="Gateway" />
      <AlarmStrip />
      <ViewOnlyBanner role={role} />
      {/* a watching page sees everything; its controls are disabled (another page controls) */}
      <fieldset className="page-scope" disabled={!role.controlling}>
        <main className="layout">
          <div className="col-main">
            <ErrorBoundary name="Live ECG">
              <EcgView
                sweepMmPerS={settings?.sweepSpeedMmPerS ?? 25}
                gainMmPerMv={settings?.gainMmPerMv ?? 10}
                quality={ecg12 !== null && ecg12.state === 'streaming' ? ecg12.quality : NO_QUALITY}
                onChange={(patch) => void updateSettings(patch)}
                patientCode={patient?.studyCode ?? null}
                unitState={ecg12?.state ?? null}
              />
            </ErrorBoundary>
          </div>
          <aside className="col-side">
            <ErrorBoundary name="Measurements">
              <MeasurementsPanel gainMmPerMv={settings?.gainMmPerMv ?? 10} />
            </ErrorBoundary>
          </aside>
          <div className="panels">
            <ErrorBoundary name="ECG-12 unit">
              <Ecg12Panel status={ecg12} />
            </ErrorBoundary>
            <ErrorBoundary name="Watches">
              <WatchesPanel watches={watches} patient={patient} />
            </ErrorBoundary>
            <ErrorBoundary name="Recording">
              <RecordingPanel patient={patient} onPatient={setPatient} />
            </ErrorBoundary>
            <ErrorBoundary name="Alarms and events">
              <EventsPanel />
            </ErrorBoundary>
            <ErrorBoundary name="Upload">
              <SyncPanel />
            </ErrorBoundary>
            <ErrorBoundary name="Settings">
              <SettingsPanel
                settings={settings}
                error={settingsCall.error}
                pending={settingsCall.pending}
                onChange={(p) => void updateSettings(p)}
              />
              <DiagnosticsExport />
            </ErrorBoundary>
          </div>
        </main>
      </fieldset>
    </>
  );
}

const NO_QUALITY = {};

function watchName(devices: ReadonlyMap<string, DeviceStatus>, address: string): string {
  const d = devices.get(`watch:${address}`);
  return d?.kind === 'watch' ? d.name : address;
}

function deviceKey(d: DeviceStatus): string {
  return d.kind === 'ecg12' ? 'ecg12' : `watch:${d.address}`;
}
