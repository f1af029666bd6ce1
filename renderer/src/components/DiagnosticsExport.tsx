/**
 * "Export diagnostics for IT": a zip of the gateway's logs and state (no patient details), saved
 * through the browser's download so it works the same on the desktop and in edge mode.
 */
import { useState } from 'react';
import { saveBase64File } from '../save-file.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

export function DiagnosticsExport() {
  const call = useCall();
  const [saved, setSaved] = useState<string | null>(null);
  const run = async () => {
    setSaved(null);
    const bundle = await call.run('app.diagnostics', {});
    if (bundle === null) return;
    saveBase64File(bundle.contentBase64, bundle.fileName, 'application/zip');
    setSaved(`${bundle.fileName} (${Math.max(1, Math.round(bundle.bytes / 1024))} kB)`);
  };
  return (
    <div className="diagnostics-export">
      <button type="button" disabled={call.pending} onClick={() => void run()}>
        {call.pending ? 'Preparing diagnostics…' : 'Export diagnostics for IT'}
      </button>
      <p className="hint">Logs, versions, device, queue and upload state. No patient details.</p>
      {saved !== null && (
        <p role="status" className="note">
          Saved {saved}.
        </p>
      )}
      <ErrorNote error={call.error} what="Diagnostics" />
    </div>
  );
}
