/**
 * One recording: a header (patient, start, duration, status, SIMULATED) and four views: the
 * summary, the ECG pages, the trends with the events list, and the reports and exports.
 */
import type { Recording } from '../../../../server-contract/api/index.js';
import { LoadState, SimulatedBanner } from '../components/common.js';
import { formatArrest, formatDateTime, formatDuration, orDash } from '../format.js';
import { href } from '../router.js';
import { useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';
import { EcgView } from './EcgView.js';
import { FilesView } from './FilesView.js';
import { TrendsView } from './TrendsView.js';

const TABS = [
  ['summary', 'Summary'],
  ['ecg', 'ECG'],
  ['trends', 'Trends and events'],
  ['files', 'Reports and exports'],
] as const;

export function RecordingPage(props: { recordingId: string; tab: string; query: URLSearchParams }) {
  const session = useSession();
  const loaded = useLoad(
    () =>
      session.run((authToken) =>
        session.client['recordings.get']({ authToken, params: { recordingId: props.recordingId } }),
      ),
    [props.recordingId],
  );
  const recording = loaded.data?.body;
  if (recording === undefined) return <LoadState loading={loaded.loading} error={loaded.error} />;
  return (
    <>
      <p className="crumbs">
        <a href={href('patients')}>Patients</a> /{' '}
        <a href={href('patients', recording.patientId)}>{recording.studyCode}</a> / recording
      </p>
      <h1>
        Recording of {recording.studyCode}, {formatDateTime(recording.startedAtMs)}
      </h1>
      <SimulatedBanner simulated={recording.simulated} />
      {recording.status === 'voided' && (
        <p className="notice" role="note">
          VOIDED: {recording.voidReason ?? 'no reason given'}
        </p>
      )}
      <nav aria-label="Recording views" className="tabs">
        <ul>
          {TABS.map(([tab, label]) => (
            <li key={tab}>
              <a
                href={href('recordings', recording.id, tab)}
                aria-current={props.tab === tab ? 'page' : undefined}
              >
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.tab === 'ecg' && <EcgView recording={recording} query={props.query} />}
      {props.tab === 'trends' && <TrendsView recording={recording} />}
      {props.tab === 'files' && <FilesView recording={recording} />}
      {props.tab !== 'ecg' && props.tab !== 'trends' && props.tab !== 'files' && (
        <Summary recording={recording} />
      )}
    </>
  );
}

function Summary({ recording: r }: { recording: Recording }) {
  const s = r.summary;
  const quality = s?.goodSignalPctByLead;
  return (
    <section aria-labelledby="summary-title">
      <h2 id="summary-title">Summary</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd>{r.status}</dd>
        <dt>Duration</dt>
        <dd>{s ? formatDuration(s.durationMs) : 'still recording'}</dd>
        <dt>Beats</dt>
        <dd>{orDash(s?.beats)}</dd>
        <dt>Heart rate</dt>
        <dd>
          mean {orDash(s?.meanHeartRateBpm, 'bpm')}, lowest {orDash(s?.minHeartRateBpm, 'bpm')}, highest{' '}
          {orDash(s?.maxHeartRateBpm, 'bpm')}
        </dd>
        <dt>PVC / PAC</dt>
        <dd>
          {orDash(s?.pvcCount)} / {orDash(s?.pacCount)}
        </dd>
        <dt>Ventricular / supraventricular runs (3 beats or more)</dt>
        <dd>
          {orDash(s?.ventricularRuns)} / {orDash(s?.supraventricularRuns)}
        </dd>
        <dt>Arrest rhythms (computed)</dt>
        <dd>{s ? formatArrest(s) : '—'}</dd>
        <dt>Signal quality</dt>
        <dd>{orDash(s?.signalQualityPct, '% usable')}</dd>
        <dt>Gaps</dt>
        <dd>{s ? `${s.gapCount}, ${formatDuration(s.gapMs)} in all` : '—'}</dd>
        <dt>Simulated</dt>
        <dd>{r.simulated ? 'yes — SIMULATED data' : 'no'}</dd>
        <dt>Gateway</dt>
        <dd>{r.gatewayId}</dd>
        <dt>Operator</dt>
        <dd>{r.operator.name}</dd>
        <dt>Devices</dt>
        <dd>
          {r.devices.map((d) => `${d.kind} ${d.serial}${d.simulated ? ' (simulated)' : ''}`).join(', ') ||
            '—'}
        </dd>
        <dt>ECG sample rate</dt>
        <dd>{orDash(r.ecgSampleRateHz, 'Hz')}</dd>
        <dt>Chunks</dt>
        <dd>
          {r.chunksReceived} received{r.chunksExpected !== null ? ` of ${r.chunksExpected}` : ''}
        </dd>
        {s?.endReason !== undefined && (
          <>
            <dt>Ended because</dt>
            <dd>{s.endReason.replaceAll('_', ' ')}</dd>
          </>
        )}
      </dl>
      {quality !== undefined && Object.keys(quality).length > 0 && (
        <>
          <h3>Good signal per lead</h3>
          <p>
            {Object.entries(quality)
              .map(([lead, pct]) => `${lead} ${Math.round(pct)} %`)
              .join(' · ')}
          </p>
        </>
      )}
      <p>
        <a href={href('recordings', r.id, 'ecg')}>Open the ECG from the start</a>
      </p>
    </section>
  );
}
