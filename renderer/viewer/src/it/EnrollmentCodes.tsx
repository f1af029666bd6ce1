/** Issues one-time enrollment codes (shown once; the server keeps no readable list of them). */
import { useState } from 'react';
import type { z } from 'zod';
import type { EnrollmentCodeSchema } from '../../../../server-contract/api/index.js';
import { errorMessage } from '../api.js';
import { formatDateTime } from '../format.js';
import { useSession } from '../session-context.js';

type Code = z.output<typeof EnrollmentCodeSchema>;

export function EnrollmentCodes() {
  const session = useSession();
  const [label, setLabel] = useState('');
  const [hours, setHours] = useState(24);
  const [issued, setIssued] = useState<Code[]>([]);
  const [error, setError] = useState<string>();
  const issue = async () => {
    setError(undefined);
    try {
      const { body } = await session.run((authToken) =>
        session.client['enrollment.createCode']({
          authToken,
          body: { label: label.trim(), validForS: Math.round(hours * 3600) },
        }),
      );
      setIssued((list) => [body, ...list]);
      setLabel('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <section aria-labelledby="codes-title">
      <h2 id="codes-title">Enrollment codes</h2>
      <p>A code enrolls one gateway once. It is shown here only now: write it down or hand it over.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void issue();
        }}
      >
        <label className="field">
          Label (where the gateway is)
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={120} />
        </label>
        <label className="field">
          Valid for (hours)
          <input
            type="number"
            min={1}
            max={720}
            value={hours}
            onChange={(e) => setHours(Number(e.target.value))}
          />
        </label>
        <button type="submit" className="primary">
          Issue code
        </button>
      </form>
      {error !== undefined && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {issued.length > 0 && (
        <table>
          <caption>Codes issued in this session</caption>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">Label</th>
              <th scope="col">Expires</th>
            </tr>
          </thead>
          <tbody>
            {issued.map((c) => (
              <tr key={c.code}>
                <th scope="row">
                  <code className="enrollment-code">{c.code}</code>
                </th>
                <td>{c.label}</td>
                <td>{formatDateTime(c.expiresAtMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
