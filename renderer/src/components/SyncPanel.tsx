import { useEffect, useState } from 'react';
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';
import type { Settings } from '../api-types.js';
import {
  SYNC_STATE_TEXT,
  bytesText,
  enrollmentProblem,
  normaliseEnrollmentCode,
  reachableText,
  whenText,
  type SyncStatus,
} from '../format/sync.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

type QueueStatus = CallOutput<GatewayApi, 'queue.status'>;

/** Green when all is well, amber while waiting or not yet set up, red when staff or IT must act. */
const STATE_CLASS: Record<SyncStatus['state'], string> = {
  idle: 'state-streaming',
  uploading: 'state-streaming',
  backing_off: 'state-connecting',
  not_enrolled: 'state-connecting',
  offline: 'state-error',
  unauthorized: 'state-error',
};

/** How often the "… ago" texts are refreshed, ms. */
const TICK_MS = 5000;

interface Props {
  settings: Settings | null;
  onSettings: (settings: Settings) => void;
}

/**
 * The server connection (IT: address, one-time enrollment code, CA bundle, enrolled state) and
 * the local store-and-forward queue: is everything on its way to the server?
 */
export function SyncPanel({ settings, onSettings }: Props) {
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const [nowMs, setNowMs] = useState(() => Date.now());
  const [retried, setRetried] = useState<number | null>(null);
  const queueCall = useCall();
  const syncCall = useCall();
  const now = useCall();
  const retry = useCall();
  const { run: runQueue } = queueCall;
  const { run: runSync } = syncCall;

  useEffect(() => {
    void runQueue('queue.status', {}).then((q) => q !== null && setQueue(q));
    void runSync('sync.status', {}).then((s) => s !== null && setSync(s));
    const id = window.setInterval(() => setNowMs(Date.now()), TICK_MS);
    return () => window.clearInterval(id);
  }, [runQueue, runSync]);
  useGatewayEvent('queue.changed', setQueue);
  useGatewayEvent('sync.changed', (s) => {
    setSync(s);
    setNowMs(Date.now());
  });

  const retryFailed = async (): Promise<void> => {
    const r = await retry.run('sync.retryFailed', {});
    if (r !== null) setRetried(r.retried);
  };
  const failed = sync?.failedItems ?? queue?.failedItems ?? 0;

  return (
    <section className="panel" aria-labelledby="sync-heading">
      <h2 id="sync-heading">Server and upload</h2>
      <ErrorNote error={queueCall.error} what="Queue" />
      <ErrorNote error={syncCall.error} what="Sync" />
      {queue !== null && queue.alarm !== null && (
        <p className="note note-error" role="alert">
          {queue.alarm}
        </p>
      )}
      {sync !== null && (
        <p className={`state ${STATE_CLASS[sync.state]}`} role="status">
          <strong>{SYNC_STATE_TEXT[sync.state]}</strong>
          {sync.state === 'backing_off' && sync.nextAttemptAtMs !== null && (
            <> — next try {new Date(sync.nextAttemptAtMs).toLocaleTimeString('en-GB')}</>
          )}
        </p>
      )}
      {sync !== null && !sync.enrolled && <EnrollForm onEnrolled={setSync} />}
      <dl className="facts">
        <dt>Waiting to upload</dt>
        <dd>
          {sync === null
            ? '—'
            : `${sync.pendingItems.toLocaleString('en-GB')} ${sync.pendingItems === 1 ? 'item' : 'items'} (${bytesText(sync.pendingBytes)})`}
        </dd>
        <dt>Oldest waiting since</dt>
        <dd>{sync === null ? '—' : whenText(sync.oldestPendingAtMs, nowMs, 'Nothing waiting')}</dd>
        <dt>Refused by the server</dt>
        <dd>
          {sync === null
            ? '—'
            : failed === 0
              ? 'None'
              : `${failed} ${failed === 1 ? 'item' : 'items'} (kept here)`}
        </dd>
        <dt>Server</dt>
        <dd>
          {sync?.serverUrl ?? 'Not enrolled'}
          {sync?.gatewayName !== null && sync?.gatewayName !== undefined && (
            <span className="small"> — enrolled as {sync.gatewayName}</span>
          )}
        </dd>
        <dt>Server reachable</dt>
        <dd>{sync === null ? '—' : reachableText(sync.reachable)}</dd>
        <dt>Last error</dt>
        <dd>{sync?.lastError ?? queue?.lastError ?? 'None'}</dd>
        <dt>Last upload</dt>
        <dd>{sync === null ? '—' : whenText(sync.lastSuccessAtMs, nowMs, 'Nothing uploaded yet')}</dd>
        <dt>Disk used</dt>
        <dd>
          {queue === null ? '—' : `${bytesText(queue.diskUsedBytes)} of ${bytesText(queue.diskQuotaBytes)}`}
        </dd>
      </dl>
      <div className="row">
        <button
          type="button"
          disabled={now.pending || sync?.enrolled !== true}
          onClick={() => void now.run('sync.now', {})}
        >
          Upload now
        </button>
        <button type="button" disabled={retry.pending || failed === 0} onClick={() => void retryFailed()}>
          Retry failed
        </button>
      </div>
      {retried !== null && (
        <p className="hint" role="status">
          {retried === 0
            ? 'Nothing to retry.'
            : `${retried} ${retried === 1 ? 'item' : 'items'} put back in the queue.`}
        </p>
      )}
      <ErrorNote error={now.error} what="Upload" />
      <ErrorNote error={retry.error} what="Retry" />
      <details className="it-settings">
        <summary>For IT: trusted certificates and a server on this computer</summary>
        <CaBundleForm settings={settings} onSettings={onSettings} />
        <p className="hint">
          A single-desk clinic can run the bundled ingest server on this same computer and enrol this gateway
          with it at <span className="mono">http://127.0.0.1:8080</span>; the steps are in the IT guide,
          docs/gateway/local-server.md.
        </p>
      </details>
    </section>
  );
}

/** Enrollment with the server's one-time code (IT issues it in the server's admin pages). */
function EnrollForm({ onEnrolled }: { onEnrolled: (status: SyncStatus) => void }) {
  const [serverUrl, setServerUrl] = useState('');
  const [code, setCode] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const enroll = useCall();

  const submit = async (): Promise<void> => {
    const found = enrollmentProblem(serverUrl, code);
    setProblem(found);
    if (found !== null) return;
    const status = await enroll.run('sync.enroll', {
      serverUrl: serverUrl.trim(),
      code: normaliseEnrollmentCode(code),
    });
    if (status !== null) onEnrolled(status);
  };

  return (
    <form
      className="enroll"
      aria-labelledby="enroll-heading"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 id="enroll-heading">Connect to the clinic’s server</h3>
      <p className="hint">
        This gateway keeps recordings here until it is enrolled. Enter the server address and the one-time
        code IT gave you.
      </p>
      <label htmlFor="enroll-url">Server address</label>
      <input
        id="enroll-url"
        type="url"
        inputMode="url"
        autoComplete="url"
        placeholder="https://pulsewatch.clinic.example"
        value={serverUrl}
        onChange={(e) => setServerUrl(e.target.value)}
      />
      <label htmlFor="enroll-code">Enrollment code</label>
      <input
        id="enroll-code"
        className="mono"
        autoComplete="off"
        autoCapitalize="characters"
        spellCheck={false}
        placeholder="XXXX-XXXX-XXXX-XXXX"
        aria-describedby="enroll-code-hint"
        maxLength={32}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <span id="enroll-code-hint" className="small">
        Four groups of four letters or digits
      </span>
      <button type="submit" className="primary" disabled={enroll.pending}>
        {enroll.pending ? 'Enrolling…' : 'Enroll'}
      </button>
      {problem !== null && (
        <p className="note note-error" role="alert">
          {problem}
        </p>
      )}
      <ErrorNote error={enroll.error} what="Enrollment" />
    </form>
  );
}

/** The clinic's own CA certificates (a PEM file) the uploader trusts besides the system's. */
function CaBundleForm({ settings, onSettings }: Props) {
  const [path, setPath] = useState<string | null>(null);
  const save = useCall();
  const current = settings?.caBundlePath ?? null;
  const shown = path ?? current ?? '';
  const submit = async (value: string | null): Promise<void> => {
    const next = await save.run('settings.update', { caBundlePath: value });
    if (next !== null) {
      onSettings(next);
      setPath(null);
    }
  };
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(shown.trim() === '' ? null : shown.trim());
      }}
    >
      <label htmlFor="ca-bundle">CA bundle file (PEM)</label>
      <input
        id="ca-bundle"
        className="mono"
        placeholder="/etc/pulsewatch/clinic-ca.pem"
        value={shown}
        onChange={(e) => setPath(e.target.value)}
        size={32}
      />
      <button type="submit" disabled={save.pending || settings === null || shown.trim() === (current ?? '')}>
        Save
      </button>
      <span className="small">
        {current === null ? 'Using the system’s certificates only.' : `Trusted: ${current}`}
      </span>
      <ErrorNote error={save.error} what="CA bundle" />
    </form>
  );
}
