import { useEffect, useState } from 'react';
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

type QueueStatus = CallOutput<GatewayApi, 'queue.status'>;
type SyncStatus = CallOutput<GatewayApi, 'sync.status'>;

const SYNC_TEXT: Record<SyncStatus['state'], string> = {
  idle: 'Up to date',
  uploading: 'Uploading',
  offline: 'Server unreachable — data is kept here and sent later',
  backing_off: 'Waiting before the next try',
  unauthorized: 'Server refused this gateway — ask IT to enrol it again',
  not_enrolled: 'Not enrolled with a server',
};

const mb = (bytes: number): string => `${(bytes / 1_000_000).toFixed(1)} MB`;
const time = (ms: number | null): string => (ms === null ? '—' : new Date(ms).toLocaleString('en-GB'));

/** The local store-and-forward queue and the uploader: is everything on its way to the server? */
export function SyncPanel() {
  const [queue, setQueue] = useState<QueueStatus | null>(null);
  const [sync, setSync] = useState<SyncStatus | null>(null);
  const queueCall = useCall();
  const syncCall = useCall();
  const now = useCall();
  const { run: runQueue } = queueCall;
  const { run: runSync } = syncCall;

  useEffect(() => {
    void runQueue('queue.status', {}).then((q) => q !== null && setQueue(q));
    void runSync('sync.status', {}).then((s) => s !== null && setSync(s));
  }, [runQueue, runSync]);
  useGatewayEvent('queue.changed', setQueue);
  useGatewayEvent('sync.changed', setSync);

  return (
    <section className="panel" aria-labelledby="sync-heading">
      <h2 id="sync-heading">Upload</h2>
      <ErrorNote error={queueCall.error} what="Queue" />
      <ErrorNote error={syncCall.error} what="Sync" />
      {queue !== null && queue.alarm !== null && (
        <p className="note note-error" role="alert">
          {queue.alarm}
        </p>
      )}
      {sync !== null && (
        <p
          className={
            sync.state === 'idle' || sync.state === 'uploading'
              ? 'state state-streaming'
              : 'state state-error'
          }
        >
          <strong>{SYNC_TEXT[sync.state]}</strong>
          {sync.lastError !== null && ` — ${sync.lastError}`}
        </p>
      )}
      <dl className="facts">
        <dt>Waiting to upload</dt>
        <dd>{queue === null ? '—' : `${queue.pendingChunks} chunks (${mb(queue.pendingBytes)})`}</dd>
        <dt>Failed</dt>
        <dd>{queue === null ? '—' : queue.failedChunks}</dd>
        <dt>Oldest waiting since</dt>
        <dd>{time(queue?.oldestPendingAtMs ?? null)}</dd>
        <dt>Disk used</dt>
        <dd>{queue === null ? '—' : `${mb(queue.diskUsedBytes)} of ${mb(queue.diskQuotaBytes)}`}</dd>
        <dt>Server</dt>
        <dd>{sync?.serverUrl ?? '—'}</dd>
        <dt>Last upload</dt>
        <dd>{time(sync?.lastSuccessAtMs ?? null)}</dd>
      </dl>
      <button type="button" disabled={now.pending} onClick={() => void now.run('sync.now', {})}>
        Upload now
      </button>
      <ErrorNote error={now.error} what="Upload" />
    </section>
  );
}
