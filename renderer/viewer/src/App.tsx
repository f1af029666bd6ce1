/**
 * The web viewer: sign-in, then a shell (skip link, header with the user and sign-out, navigation)
 * around the screen the URL hash names. Roles decide what the navigation offers; the server
 * enforces the same rules, so a screen reached by URL shows the server's refusal.
 */
import { useEffect, useMemo, useState } from 'react';
import { createIngestClient } from './api.js';
import { LoginPage } from './pages/LoginPage.js';
import { Screen } from './Screen.js';
import { IDLE_TIMEOUT_MS, Session, type EndReason } from './session.js';
import { SessionContext, can } from './session-context.js';
import { href, useRoute } from './router.js';

const END_MESSAGES: Record<EndReason, string> = {
  signed_out: 'You have signed out.',
  idle: `Signed out after ${IDLE_TIMEOUT_MS / 60_000} minutes without activity.`,
  expired: 'Your session has ended; please sign in again.',
};

export function App() {
  const client = useMemo(() => createIngestClient(), []);
  const [session, setSession] = useState<Session | null>(null);
  const [resuming, setResuming] = useState(true);
  const [ended, setEnded] = useState<string>();
  const onEnd = useMemo(
    () => (reason: EndReason) => {
      setSession(null);
      setEnded(END_MESSAGES[reason]);
    },
    [],
  );
  useEffect(() => {
    void Session.resume(client, { onEnd }).then((s) => {
      setSession(s);
      setResuming(false);
    });
  }, [client, onEnd]);
  useEffect(() => {
    if (session === null) return;
    const touch = () => session.touch();
    const events = ['keydown', 'pointerdown', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, touch, { passive: true });
    const timer = setInterval(() => session.checkIdle(), 10_000);
    return () => {
      for (const e of events) window.removeEventListener(e, touch);
      clearInterval(timer);
    };
  }, [session]);

  if (resuming) return <p aria-live="polite">Loading…</p>;
  if (session === null)
    return (
      <LoginPage
        client={client}
        notice={ended}
        onEnd={onEnd}
        onSignedIn={(s) => {
          setEnded(undefined);
          setSession(s);
        }}
      />
    );
  return (
    <SessionContext.Provider value={session}>
      <Shell session={session} />
    </SessionContext.Provider>
  );
}

function Shell({ session }: { session: Session }) {
  const route = useRoute();
  const rights = can(session.user.role);
  const section = route.segments[0] ?? 'patients';
  const link = (to: string, label: string, active: boolean) => (
    <li>
      <a href={to} aria-current={active ? 'page' : undefined}>
        {label}
      </a>
    </li>
  );
  return (
    <>
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">PulseWatch viewer</span>
        <nav aria-label="Sections">
          <ul>
            {link(href('patients'), 'Patients', section === 'patients' || section === 'recordings')}
            {rights.it && link(href('it', 'gateways'), 'IT', section === 'it')}
          </ul>
        </nav>
        <span className="who">
          {session.user.displayName} <span className="tag">{session.user.role}</span>
        </span>
        <button type="button" onClick={() => void session.logout()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen route={route} />
      </main>
    </>
  );
}
