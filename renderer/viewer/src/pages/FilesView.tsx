/**
 * A recording's PDF reports (everyone may read them) and, for researchers and admins, exports in
 * every format the server offers (CSV per series, WFDB, EDF+, FHIR R4, a zip of several), with
 * progress polled from `exports.progress` while the download runs.
 */
import { useState } from 'react';
import { v7 as uuidv7 } from 'uuid';
import {
  ExportSeriesSchema,
  ZipPartSchema,
  type ExportProgress,
  type Recording,
  type Report,
} from '../../../../server-contract/api/index.js';
import { errorMessage } from '../api.js';
import { LoadState, SimulatedTag } from '../components/common.js';
import { asBytes, saveFile } from '../components/save-file.js';
import { formatBytes, formatDateTime } from '../format.js';
import { can, useSession } from '../session-context.js';
import { useLoad } from '../use-load.js';

export function FilesView({ recording }: { recording: Recording }) {
  const session = useSession();
  return (
    <>
      <Reports recording={recording} />
      {can(session.user.role).exportData ? (
        <Exports recording={recording} />
      ) : (
        <section aria-labelledby="exports-title">
          <h2 id="exports-title">Exports</h2>
          <p>Exports are for researchers and administrators.</p>
        </section>
      )}
    </>
  );
}

function Reports({ recording }: { recording: Recording }) {
  const session = useSession();
  const [error, setError] = useState<string>();
  const list = useLoad(
    () =>
      session.run((authToken) =>
        session.client['reports.list']({ authToken, query: { recordingId: recording.id, limit: 100 } }),
      ),
    [recording.id],
  );
  const download = async (report: Report) => {
    setError(undefined);
    try {
      const { body } = await session.run((authToken) =>
        session.client['reports.download']({ authToken, params: { reportId: report.id } }),
      );
      saveFile(
        asBytes(body),
        `${recording.studyCode}-${report.kind}-${report.id.slice(-8)}.pdf`,
        'application/pdf',
      );
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title">PDF reports</h2>
      <LoadState loading={list.loading} error={list.error ?? error} />
      {list.data?.body.items.length === 0 && <p>No reports were made for this recording.</p>}
      {list.data !== undefined && list.data.body.items.length > 0 && (
        <ul className="plain">
          {list.data.body.items.map((r) => (
            <li key={r.id}>
              <button type="button" onClick={() => void download(r)}>
                Download {r.title} (PDF, {formatBytes(r.sizeBytes)})
              </button>{' '}
              <span className="muted">{formatDateTime(r.createdAtMs)}</span>{' '}
              <SimulatedTag simulated={r.simulated} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const FORMATS = [
  { format: 'csv', label: 'CSV (one series)', ext: 'csv', type: 'text/csv' },
  { format: 'wfdb', label: 'WFDB (zip of .hea, .dat, .atr)', ext: 'zip', type: 'application/zip' },
  { format: 'edf', label: 'EDF+', ext: 'edf', type: 'application/octet-stream' },
  { format: 'fhir', label: 'FHIR R4 Bundle (JSON)', ext: 'json', type: 'application/fhir+json' },
  { format: 'zip', label: 'Zip of several formats', ext: 'zip', type: 'application/zip' },
] as const;
type Format = (typeof FORMATS)[number]['format'];

function Exports({ recording }: { recording: Recording }) {
  const session = useSession();
  const isAdmin = session.user.role === 'admin';
  const [format, setFormat] = useState<Format>('csv');
  const [series, setSeries] = useState<(typeof ExportSeriesSchema.options)[number]>('ecg');
  const [parts, setParts] = useState<string[]>([...ZipPartSchema.options]);
  const [identity, setIdentity] = useState(false);
  const [progress, setProgress] = useState<ExportProgress>();
  const [state, setState] = useState<{ busy: boolean; message?: string; error?: string }>({ busy: false });
  const voided = recording.status === 'voided';
  const run = async () => {
    const spec = FORMATS.find((f) => f.format === format)!;
    const exportId = uuidv7();
    setState({ busy: true, message: 'Preparing the export…' });
    setProgress(undefined);
    const poll = setInterval(() => {
      void session
        .run((authToken) => session.client['exports.progress']({ authToken, params: { exportId } }))
        .then(
          (p) => setProgress(p.body),
          () => undefined,
        );
    }, 500);
    try {
      const { body } = await session.run((authToken) =>
        session.client['exports.get']({
          authToken,
          query: {
            format,
            recordingId: recording.id,
            exportId,
            ...(format === 'csv' ? { series } : {}),
            ...(format === 'zip' ? { formats: parts.join(',') } : {}),
            ...(isAdmin && identity ? { includeIdentity: 'true' as const } : {}),
          },
        }),
      );
      const bytes = asBytes(body);
      const name = `${recording.studyCode}-${recording.id.slice(-8)}${format === 'csv' ? `-${series}` : ''}.${spec.ext}`;
      saveFile(bytes, name, spec.type);
      setState({ busy: false, message: `Saved ${name} (${formatBytes(bytes.byteLength)}).` });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e) });
    } finally {
      clearInterval(poll);
    }
  };
  return (
    <section aria-labelledby="exports-title">
      <h2 id="exports-title">Exports</h2>
      {voided && <p className="notice">A voided recording is not exported.</p>}
      <form
        className="export-form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <fieldset>
          <legend>Format</legend>
          {FORMATS.map((f) => (
            <label key={f.format} className="choice">
              <input
                type="radio"
                name="format"
                value={f.format}
                checked={format === f.format}
                onChange={() => setFormat(f.format)}
              />
              {f.label}
            </label>
          ))}
        </fieldset>
        {format === 'csv' && (
          <label className="field">
            Series
            <select value={series} onChange={(e) => setSeries(ExportSeriesSchema.parse(e.target.value))}>
              {ExportSeriesSchema.options.map((s) => (
                <option key={s} value={s}>
                  {s === 'ecg' ? 'ecg (12 leads)' : s}
                </option>
              ))}
            </select>
          </label>
        )}
        {format === 'zip' && (
          <fieldset>
            <legend>Formats in the zip</legend>
            {ZipPartSchema.options.map((p) => (
              <label key={p} className="choice">
                <input
                  type="checkbox"
                  checked={parts.includes(p)}
                  onChange={(e) => setParts(e.target.checked ? [...parts, p] : parts.filter((x) => x !== p))}
                />
                {p}
              </label>
            ))}
          </fieldset>
        )}
        {isAdmin && (
          <label className="choice">
            <input type="checkbox" checked={identity} onChange={(e) => setIdentity(e.target.checked)} />
            Include the patient&rsquo;s identifying details (audited)
          </label>
        )}
        <button
          type="submit"
          className="primary"
          disabled={state.busy || voided || (format === 'zip' && parts.length === 0)}
        >
          Export
        </button>
      </form>
      <div aria-live="polite" className="export-status">
        {state.busy && (
          <p>
            <label>
              Export progress <progress max={1} value={progress?.fractionDone ?? undefined} />{' '}
            </label>
            {progress !== undefined
              ? `${Math.round(progress.fractionDone * 100)} % · ${formatBytes(progress.bytesSent)} sent`
              : state.message}
          </p>
        )}
        {!state.busy && state.message !== undefined && <p role="status">{state.message}</p>}
        {state.error !== undefined && (
          <p className="error" role="alert">
            {state.error}
          </p>
        )}
      </div>
    </section>
  );
}
