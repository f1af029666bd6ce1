import { useEffect, useState } from 'react';
import { OperatorInfoSchema, PinSchema } from '../../../preload/schemas.js';
import type { CallOutput, GatewayApi } from '../../../preload/index-types.js';
import { problems } from '../format/validation.js';
import type { DeskSession } from '../use-desk.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PinInput } from './PinInput.js';
import { OperatorAccount } from './OperatorAccount.js';

type Operator = CallOutput<GatewayApi, 'operators.list'>[number];

const NAME_LIMIT = OperatorInfoSchema.shape.name.maxLength ?? 120;
const FIELDS = {
  name: { label: 'Name' },
  pin: { label: 'PIN', format: '4 to 8 digits' },
};

interface Props {
  session: DeskSession;
  onSession: (session: DeskSession) => void;
  /** A recording is open: the operator cannot leave the desk until it stops. */
  recording: boolean;
}

/** Who records at this desk: sign in by name (and PIN where the clinic set one), or add a name. */
export function OperatorPanel({ session, onSession, recording }: Props) {
  const [operators, setOperators] = useState<Operator[]>([]);
  const list = useCall();
  const signIn = useCall();
  const signOut = useCall();
  const lock = useCall();
  const { run: runList } = list;
  const refresh = async (): Promise<void> => {
    const r = await runList('operators.list', {});
    if (r !== null) setOperators(r);
  };
  useEffect(() => {
    void refresh();
  }, [runList]);

  if (session.operator !== null)
    return (
      <div className="operator-signed" role="group" aria-label="Operator">
        <p className="operator-line">
          Operator: <strong>{session.operator.name}</strong>
        </p>
        <button
          type="button"
          disabled={lock.pending}
          onClick={() => void lock.run('desk.lock', {}).then((s) => s !== null && onSession(s))}
        >
          Lock screen
        </button>
        <button
          type="button"
          disabled={signOut.pending}
          onClick={() => void signOut.run('desk.signOut', {}).then((s) => s !== null && onSession(s))}
        >
          Sign out
        </button>
        <ErrorNote error={signOut.error ?? lock.error} what="Operator" />
        <OperatorAccount
          key={session.operator.id}
          operator={session.operator}
          recording={recording}
          onSession={(s) => {
            onSession(s);
            void refresh();
          }}
        />
      </div>
    );
  return (
    <div className="operator-sign-in">
      <SignInForm
        operators={operators}
        pending={signIn.pending}
        onSignIn={async (operatorId, pin) => {
          const s = await signIn.run('desk.signIn', pin === '' ? { operatorId } : { operatorId, pin });
          if (s !== null) onSession(s);
        }}
      />
      <ErrorNote error={list.error ?? signIn.error} what="Signing in" />
      <NewOperator
        onCreated={async (op, pin) => {
          await refresh();
          const s = await signIn.run(
            'desk.signIn',
            pin === '' ? { operatorId: op.id } : { operatorId: op.id, pin },
          );
          if (s !== null) onSession(s);
        }}
      />
    </div>
  );
}

interface SignInProps {
  operators: readonly Operator[];
  pending: boolean;
  onSignIn: (operatorId: string, pin: string) => Promise<void>;
  idPrefix?: string;
  submitText?: string;
}

/** Choose a name; the PIN field appears for an operator who has one. */
export function SignInForm({
  operators,
  pending,
  onSignIn,
  idPrefix = 'op',
  submitText = 'Sign in',
}: SignInProps) {
  const [operatorId, setOperatorId] = useState('');
  const [pin, setPin] = useState('');
  const chosen = operators.find((o) => o.id === operatorId);
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen !== undefined) void onSignIn(chosen.id, chosen.hasPin ? pin : '').then(() => setPin(''));
      }}
    >
      <label htmlFor={`${idPrefix}-select`}>Operator</label>
      <select id={`${idPrefix}-select`} value={operatorId} onChange={(e) => setOperatorId(e.target.value)}>
        <option value="">— choose your name —</option>
        {operators.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
      {chosen?.hasPin === true && (
        <>
          <label htmlFor={`${idPrefix}-pin`}>PIN</label>
          <PinInput id={`${idPrefix}-pin`} autoComplete="off" size={8} value={pin} onChange={setPin} />
        </>
      )}
      <button type="submit" className="primary" disabled={pending || chosen === undefined}>
        {submitText}
      </button>
    </form>
  );
}

/** Adds an operator of this gateway; the PIN is optional (the clinic decides). */
function NewOperator({ onCreated }: { onCreated: (op: Operator, pin: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [found, setFound] = useState<string[]>([]);
  const create = useCall();
  const submit = async (): Promise<void> => {
    const checked = OperatorInfoSchema.pick({ name: true })
      .extend({ pin: PinSchema.optional() })
      .safeParse({ name, ...(pin === '' ? {} : { pin }) });
    setFound(checked.success ? [] : problems(checked.error, FIELDS));
    if (!checked.success) return;
    const op = await create.run('operators.create', checked.data);
    if (op === null) return;
    setName('');
    setPin('');
    await onCreated(op, checked.data.pin ?? '');
  };
  return (
    <details className="new-operator">
      <summary>New operator</summary>
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="nop-name">Name</label>
        <input id="nop-name" maxLength={NAME_LIMIT} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="nop-pin">PIN (optional)</label>
        <PinInput
          id="nop-pin"
          autoComplete="new-password"
          aria-describedby="nop-pin-hint"
          value={pin}
          onChange={setPin}
        />
        <span id="nop-pin-hint" className="small form-hint">
          4 to 8 digits, if the clinic uses PINs; asked when signing in and to unlock the screen
        </span>
        <button type="submit" className="primary" disabled={create.pending}>
          Add operator and sign in
        </button>
      </form>
      {found.length > 0 && (
        <div className="note note-error" role="alert">
          {found.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <ErrorNote error={create.error} what="Adding the operator" />
    </details>
  );
}
