import { useEffect, useRef, useState } from 'react';
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';
import type { DeskSession } from '../use-desk.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PinInput } from './PinInput.js';
import { SignInForm } from './OperatorPanel.js';

type Operator = CallOutput<GatewayApi, 'operators.list'>[number];

interface Props {
  session: DeskSession;
  onSession: (session: DeskSession) => void;
}

/**
 * The locked desk: no patient data, only the way back in — the signed-in operator's PIN, or
 * another operator signing in. Recording, if any, carries on underneath.
 */
export function LockScreen({ session, onSession }: Props) {
  const [pin, setPin] = useState('');
  const [operators, setOperators] = useState<Operator[]>([]);
  const unlock = useCall();
  const other = useCall();
  const list = useCall();
  const heading = useRef<HTMLHeadingElement>(null);
  const { run: runList } = list;
  useEffect(() => {
    heading.current?.focus();
    void runList('operators.list', {}).then((r) => r !== null && setOperators(r));
  }, [runList]);
  const name = session.operator?.name ?? 'the operator';
  const needsPin = session.operator?.hasPin === true;
  return (
    <main className="lock-screen" aria-labelledby="lock-heading">
      <section className="panel lock-panel">
        <h1 id="lock-heading" ref={heading} tabIndex={-1}>
          Screen locked
        </h1>
        <p>
          Signed in: <strong>{name}</strong>. Any recording carries on while the screen is locked.
        </p>
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void unlock.run('desk.unlock', needsPin ? { pin } : {}).then((s) => {
              setPin('');
              if (s !== null) onSession(s);
            });
          }}
        >
          {needsPin && (
            <>
              <label htmlFor="unlock-pin">PIN</label>
              <PinInput id="unlock-pin" autoComplete="off" size={8} value={pin} onChange={setPin} />
            </>
          )}
          <button type="submit" className="primary big" disabled={unlock.pending}>
            Unlock
          </button>
        </form>
        <ErrorNote error={unlock.error} what="Unlocking" />
        <h2>Someone else</h2>
        <SignInForm
          operators={operators}
          pending={other.pending}
          idPrefix="lock-op"
          submitText="Sign in instead"
          onSignIn={async (operatorId, p) => {
            const s = await other.run('desk.signIn', p === '' ? { operatorId } : { operatorId, pin: p });
            if (s !== null) onSession(s);
          }}
        />
        <ErrorNote error={other.error} what="Signing in" />
      </section>
    </main>
  );
}
