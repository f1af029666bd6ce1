import { useEffect, useRef, useState } from 'react';
import type {
  AppInfo,
  DeviceStatus,
  Ecg12Status,
  RecordingState,
  Settings,
  WatchStatus,
} from './api-types.js';
import { AlarmStrip } from './components/AlarmStrip.js';
import { Ecg12Panel } from './components/Ecg12Panel.js';
import { EcgView } from './components/EcgView.js';
import { ErrorBoundary } from './components/ErrorBoundary.js';
import { ErrorNote } from './components/ErrorNote.js';
import { LockScreen } from './components/LockScreen.js';
import { EventsPanel } from './components/EventsPanel.js';
import { MeasurementsPanel } from './components/MeasurementsPanel.js';
import { useEventFeed } from './use-event-feed.js';
import { RecordingPanel } from './components/RecordingPanel.js';
import { DiagnosticsExport } from './components/DiagnosticsExport.js';
import { usePageRole, ViewOnlyBanner } from './components/PageRole.js';
import { SettingsPanel } from './components/SettingsPanel.js';
import { SimulatedBanner } from './components/SimulatedBanner.js';
import { SyncPanel } from './components/SyncPanel.js';
import { WatchesPanel } from './components/WatchesPanel.js';
import { gateway } from './gateway.js';
import { useDesk, useInactivityLock } from './use-desk.js';
import { useCall, useGatewayEvent } from './use-gateway.js';

/**
 * The gateway UI for a busy desk: recording controls first (operator, patient, ECG unit, start),
 * the live ECG and measurements beside them, then events, the server connection, device details
 * and settings. The chosen patient is always in the header; a locked desk shows only the lock.
 */
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
  const [simulatedData, setSimulatedData] = useState<readonly string[]>([]);
  const seenSimulated = useRef(new Set<string>());
  const desk = useDesk();
  const recording = useRecordingState();
  const role = usePageRole();
  // before app.ready (the effect below): the alarms and events of before the page, and those while locked
  const feed = useEventFeed();
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

  useGatewayEvent('devices.changed', (d) =>
    setDevices((m) => {
      const next = new Map(m);
      // a watch that is neither bound nor being paired (cancelled, unpaired) has no card
      if (d.kind === 'watch' && d.patientId === null && d.state !== 'connecting' && d.state !== 'pairing')
        next.delete(deviceKey(d));
      else next.set(deviceKey(d), d);
      return next;
    }),
  );
  const noteSimulated = (source: string, simulated: boolean): void => {
    if (!simulated || seenSimulated.current.has(source)) return;
    seenSimulated.current.add(source);
    setSimulatedData([...seenSimulated.current]);
  };
  useGatewayEvent('ecg.received', (b) => noteSimulated(`ECG-12 ${b.deviceSerial}`, b.simulated));
  useGatewayEvent('watch.received', (b) =>
    noteSimulated(`watch ${watchName(devices, b.address)}`, b.simulated),
  );
  const session = desk.session;
  useInactivityLock(
    settings?.lockAfterMinutes ?? 5,
    session !== null && session.operator !== null && !session.locked,
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
  const banner = <SimulatedBanner sources={[...new Set(sources)]} />;
  if (session === null)
    return (
      <>
        {banner}
        <AlarmStrip alarms={feed.strip} onAcknowledge={feed.acknowledge} />
        <main className="panel">
          <h1>PulseWatch gateway</h1>
          <p role="status">Connecting to the gateway…</p>
          <ErrorNote error={infoCall.error} what="Gateway" />
        </main>
      </>
    );
  if (session.locked)
    return (
      <>
        {banner}
        <AlarmStrip alarms={feed.strip} onAcknowledge={feed.acknowledge} />
        <LockScreen session={session} onSession={desk.setSession} />
      </>
    );
  const open = recording !== null && (recording.state === 'recording' || recording.state === 'interrupted');
  // while recording, the recording's patient is the one on screen, whatever the selection says
  const shownCode = open ? recording.studyCode : (desk.patient?.studyCode ?? null);
  const patientWatches = watches.filter(
    (w) => desk.patient !== null && w.patientId === desk.patient.id && w.state === 'streaming',
  ).length;

  return (
    <>
      <div className="sticky-top">
        {banner}
        <nav className="skip-links" aria-label="Skip links">
          <a href="#desk">Skip to recording controls</a>
          <a href="#ecg-heading">Skip to live ECG</a>
        </nav>
        <header className="topbar">
          <h1>PulseWatch gateway</h1>
          <p className={shownCode === null ? 'header-patient none' : 'header-patient'} aria-live="polite">
            {open ? 'Recording' : 'Patient'}{' '}
            <strong className="patient-code">{shownCode ?? 'none chosen'}</strong>
          </p>
          <p className="header-operator">
            Operator <strong>{session.operator?.name ?? 'not signed in'}</strong>
          </p>
          <nav aria-label="Sections">
            <a href="#rec-heading">Recording</a> <a href="#ecg-heading">ECG</a>{' '}
            <a href="#watches-heading">Watches</a> <a href="#events-heading">Events</a>{' '}
            <a href="#sync-heading">Server</a> <a href="#diagnostics-heading">Devices</a>{' '}
            <a href="#settings-heading">Settings</a>
          </nav>
        </header>
      </div>
      <ErrorNote error={infoCall.error} what="Gateway" />
      <AlarmStrip alarms={feed.strip} onAcknowledge={feed.acknowledge} />
      <ViewOnlyBanner role={role} />
      {/* a watching page sees everything; its controls are disabled (another page controls) */}
      <fieldset className="page-scope" disabled={!role.controlling}>
        <main className="layout desk-layout">
          <div className="col-desk">
            <ErrorBoundary name="Recording">
              <RecordingPanel
                session={session}
                onSession={desk.setSession}
                patient={desk.patient}
                onPatient={(p) => void desk.selectPatient(p)}
                unit={ecg12}
                patientWatches={patientWatches}
              />
            </ErrorBoundary>
            <ErrorBoundary name="Watches">
              <WatchesPanel watches={watches} patient={desk.patient} />
            </ErrorBoundary>
          </div>
          <div className="col-main">
            {open && (
              <p className="ecg-patient" role="status" aria-label="Recording patient">
                Recording <strong className="patient-code">{recording.studyCode}</strong>
                {recording.simulated && <span className="sim-tag">SIMULATED</span>}
              </p>
            )}
            <ErrorBoundary name="Live ECG">
              <EcgView
                sweepMmPerS={settings?.sweepSpeedMmPerS ?? 25}
                gainMmPerMv={settings?.gainMmPerMv ?? 10}
                quality={ecg12 !== null && ecg12.state === 'streaming' ? ecg12.quality : NO_QUALITY}
                onChange={(patch) => void updateSettings(patch)}
                patientCode={shownCode}
                unitState={ecg12?.state ?? null}
              />
            </ErrorBoundary>
          </div>
          <aside className="col-side">
            <ErrorBoundary name="Measurements">
              <MeasurementsPanel
                sex={desk.patient?.sex ?? null}
                sampleRateHz={ecg12?.state === 'streaming' ? ecg12.sampleRateHz : null}
                rhythm={feed.rhythm}
              />
            </ErrorBoundary>
          </aside>
          <div className="panels">
            <ErrorBoundary name="Alarms and events">
              <EventsPanel alarms={feed.alarms} events={feed.events} onDismiss={feed.dismiss} />
            </ErrorBoundary>
            <ErrorBoundary name="Upload">
              <SyncPanel settings={settings} onSettings={setSettings} />
            </ErrorBoundary>
            <section className="panel" aria-labelledby="diagnostics-heading">
              <h2 id="diagnostics-heading">Device details</h2>
              <details className="diagnostics">
                <summary>ECG unit: ports, lead quality and counters</summary>
                <ErrorBoundary name="ECG-12 unit">
                  <Ecg12Panel status={ecg12} />
                </ErrorBoundary>
              </details>
              {info !== null && (
                <p className="app-info">
                  <span>Version {info.version}</span> · <span>{info.mode} mode</span> ·{' '}
                  <span className="mono">gateway {info.gatewayId}</span>
                </p>
              )}
            </section>
            <ErrorBoundary name="Settings">
              <SettingsPanel
                settings={settings}
                error={settingsCall.error}
                pending={settingsCall.pending}
                recording={open}
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

/** The recording in progress (or the last one), for the header and the ECG strip. */
function useRecordingState(): RecordingState | null {
  const [recording, setRecording] = useState<RecordingState | null>(null);
  useEffect(() => {
    void gateway()
      .invoke('recording.current', {})
      .then(setRecording)
      .catch(() => undefined);
  }, []);
  useGatewayEvent('recording.changed', setRecording);
  return recording;
}

const NO_QUALITY = {};

function watchName(devices: ReadonlyMap<string, DeviceStatus>, address: string): string {
  const d = devices.get(`watch:${address}`);
  return d?.kind === 'watch' ? d.name : address;
}

function deviceKey(d: DeviceStatus): string {
  return d.kind === 'ecg12' ? 'ecg12' : `watch:${d.address}`;
}
