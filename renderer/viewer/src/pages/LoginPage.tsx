/** Staff sign-in with the server's accounts (access and refresh tokens). */
import { useState } from 'react';
import { errorMessage, type IngestClient } from '../api.js';
import { Session, type EndReason } from '../session.js';

interface Props {
  client: IngestClient;
  notice: string | undefined;
  onEnd: (reason: EndReason) => void;
  onSignedIn: (session: Session) => void;
}

export function LoginPage({ client, notice, onEnd, onSignedIn }: Props) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onSignedIn(await Session.login(client, username.trim(), password, { onEnd }));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login">
      <h1>PulseWatch viewer</h1>
      <p>Sign in with your staff account.</p>
      {notice !== undefined && <p role="status">{notice}</p>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          Username
          <input
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
        </label>
        <label className="field">
          Password
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error !== undefined && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
