import { useCallback, useEffect, useState } from 'react';
import type { RecordingState } from '../api-types.js';
import { clockText } from '../format/recording.js';
import { segmentStartFromText, sizeText, stripText, uploadText, type ReportInfo } from '../format/report.js';
import { saveBase64File } from '../save-file.js';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

/**
 * The PDF reports of an ended recording: "Create report" (A4 or Letter, optionally the start of
 * the 10-s strip, UTC) and the reports made so far with their upload state, refreshed when the
 * queue changes.
 */
export function RecordingReports({ recording }: { recording: RecordingState }) {
  const [reports, setReports] = useState<ReportInfo[]>([]);
  const [paper, setPaper] = useState<'A4' | 'Letter'>('A4');
  const [start, setStart] = useState('');
  const [badStart, setBadStart] = useState(false);
  const list = useCall();
  const create = useCall();
  const save = useCall();
  const { run: runList } = list;
  const refresh = useCallback(() => {
    void runList('reports.list', { recordingId: recording.id }).then((r) => r !== null && setReports(r));
  }, [runList, recording.id]);
  useEffect(refresh, [refresh]);
  useGatewayEvent('queue.changed', refresh);

  const make = async (): Promise<void> => {
    const segmentStartMs = segmentStartFromText(start, recording.startedAtMs);
    setBadStart(segmentStartMs === null);
    if (segmentStartMs === null) return;
    const made = await create.run('reports.create', {
      recordingId: recording.id,
      paper,
      ...(segmentStartMs === undefined ? {} : { segmentStartMs }),
    });
    if (made !== null) refresh();
  };

  const savePdf = async (report: ReportInfo): Promise<void> => {
    const file = await save.run('reports.pdf', { reportId: report.id });
    if (file !== null) saveBase64File(file.pdfBase64, file.fileName, 'application/pdf');
  };

  return (
    <section aria-labelledby="rec-reports-heading">
      <h3 id="rec-reports-heading">Reports of {recording.studyCode}</h3>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void make();
        }}
      >
        <label htmlFor="report-paper">Paper</label>
        <select
          id="report-paper"
          value={paper}
          onChange={(e) => setPaper(e.target.value === 'Letter' ? 'Letter' : 'A4')}
        >
          <option value="A4">A4</option>
          <option value="Letter">Letter</option>
        </select>
        <label htmlFor="report-start">Strip start (UTC)</label>
        <input
          id="report-start"
          value={start}
          onChange={(e) => setStart(e.target.value)}
          placeholder="hh:mm:ss (optional)"
          aria-describedby="report-start-hint"
          aria-invalid={badStart}
        />
        <button type="submit" className="primary" disabled={create.pending || recording.voidReason !== null}>
          {create.pending ? 'Making report…' : 'Create report'}
        </button>
      </form>
      <p className="hint" id="report-start-hint">
        The report prints 10 s of ECG: from this start, or when it is empty, the last 10 s of good-quality
        signal.
      </p>
      {badStart && (
        <p className="note note-error" role="alert">
          Type the strip start as a UTC time, hh:mm:ss, or leave it empty.
        </p>
      )}
      <ErrorNote error={create.error} what="Creating the report" />
      <ErrorNote error={list.error} what="Listing reports" />
      <ErrorNote error={save.error} what="Saving the PDF" />
      {reports.length === 0 ? (
        <p className="hint">No report of this recording yet.</p>
      ) : (
        // the desk column is narrow: the table scrolls sideways inside it rather than overlapping the ECG
        <div className="table-scroll">
          <table aria-labelledby="rec-reports-heading">
            <thead>
              <tr>
                <th>Made</th>
                <th>Strip</th>
                <th>Paper</th>
                <th>Upload</th>
                <th>PDF</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id}>
                  <td>{clockText(r.createdAtMs)}</td>
                  <td>{stripText(r)}</td>
                  <td>
                    {r.paper}, {r.pageCount} {r.pageCount === 1 ? 'page' : 'pages'}, {sizeText(r.sizeBytes)}
                  </td>
                  <td>{uploadText(r)}</td>
                  <td>
                    {r.pdfAvailable ? (
                      <button
                        type="button"
                        disabled={save.pending}
                        aria-label={`Save PDF of the report made at ${clockText(r.createdAtMs)}`}
                        onClick={() => void savePdf(r)}
                      >
                        Save PDF
                      </button>
                    ) : (
                      <span className="hint">on the server (web viewer)</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
