import { useState } from 'react';
import { OperatorInfoSchema, PinSchema } from '../../../preload/schemas.js';
import { problems } from '../format/validation.js';
import type { DeskSession } from '../use-desk.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';
import { PinInput } from './PinInput.js';

type Operator = NonNullable<DeskSession['operator']>;

const NAME_LIMIT = OperatorInfoSchema.shape.name.maxLength ?? 120;
const FIELDS = {
  name: { label: 'Name' },
  pin: { label: 'New PIN', format: '4 to 8 digits' },
  currentPin: { label: 'Current PIN', format: '4 to 8 digits' },
};
const ChangeSchema = OperatorInfoSchema.pick({ name: true }).extend({
  pin: PinSchema.nullable().optional(),
  currentPin: PinSchema.optional(),
});

interface Props {
  operator: Operator;
  recording: boolean;
  onSession: (session: DeskSession) => void;
}

/**
 * The signed-in operator's own name and PIN, and leaving this desk. Every change asks for the
 * current PIN when the operator has one (an unlocked desk left alone cannot be taken over).
 */
export function OperatorAccount({ operator, recording, onSession }: Props) {
  const [name, setName] = useState(operator.name);
  const [pin, setPin] = useState('');
  const [removePin, setRemovePin] = useState(false);
  const [currentPin, setCurrentPin] = useState('');
  const [found, setFound] = useState<string[]>([]);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useCall();
  const leave = useCall();
  const current = operator.hasPin ? { currentPin } : {};

  const submit = async (): Promise<void> => {
    setSaved(false);
    const checked = ChangeSchema.safeParse({
      name,
      ...(removePin ? { pin: null } : pin === '' ? {} : { pin }),
      ...current,
    });
    setFound(checked.success ? [] : problems(checked.error, FIELDS));
    if (!checked.success) return;
    const session = await save.run('operators.update', checked.data);
    if (session === null) return;
    setPin('');
    setCurrentPin('');
    setRemovePin(false);
    setSaved(true);
    onSession(session);
  };

  const retire = async (): Promise<void> => {
    setConfirmLeave(false);
    const checked = ChangeSchema.pick({ currentPin: true }).safeParse(current);
    setFound(checked.success ? [] : problems(checked.error, FIELDS));
    if (!checked.success) return;
    const session = await leave.run('operators.retire', checked.data);
    if (session !== null) onSession(session);
  };

  return (
    <details className="operator-account">
      <summary>My name and PIN</summary>
      <form
        className="form-grid"
        noValidate
        aria-label={`Name and PIN of ${operator.name}`}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="acc-name">Name</label>
        <input id="acc-name" maxLength={NAME_LIMIT} value={name} onChange={(e) => setName(e.target.value)} />
        <label htmlFor="acc-pin">{operator.hasPin ? 'New PIN' : 'PIN'}</label>
        <PinInput
          id="acc-pin"
          autoComplete="new-password"
          disabled={removePin}
          aria-describedby="acc-pin-hint"
          value={pin}
          onChange={setPin}
        />
        <span id="acc-pin-hint" className="small form-hint">
          {operator.hasPin
            ? 'Leave empty to keep your PIN.'
            : '4 to 8 digits, to set one; leave empty for none.'}
        </span>
        {operator.hasPin && (
          <>
            <span />
            <label className="check">
              <input type="checkbox" checked={removePin} onChange={(e) => setRemovePin(e.target.checked)} />{' '}
              Remove my PIN
            </label>
            <label htmlFor="acc-current">Current PIN</label>
            <PinInput
              id="acc-current"
              autoComplete="current-password"
              aria-describedby="acc-current-hint"
              value={currentPin}
              onChange={setCurrentPin}
            />
            <span id="acc-current-hint" className="small form-hint">
              Asked to save a change and to leave this desk.
            </span>
          </>
        )}
        <div className="form-actions row">
          <button type="submit" className="primary" disabled={save.pending}>
            Save
          </button>
          <button
            type="button"
            className="danger"
            disabled={leave.pending || recording}
            title={recording ? 'Stop the recording first' : undefined}
            onClick={() => setConfirmLeave(true)}
          >
            Leave this desk…
          </button>
        </div>
      </form>
      {saved && (
        <p className="note note-ok" role="status">
          Saved. Recordings made before keep the name they were made under.
        </p>
      )}
      {found.length > 0 && (
        <div className="note note-error" role="alert">
          {found.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      {confirmLeave && (
        <div className="note note-warning" role="alertdialog" aria-labelledby="leave-q">
          <p id="leave-q">
            Remove {operator.name} from this desk? You are signed out and no longer offered at sign-in; your
            recordings keep your name. Adding the same name again brings you back.
          </p>
          <div className="row">
            <button type="button" className="danger" onClick={() => void retire()}>
              Yes, remove me
            </button>
            <button type="button" autoFocus onClick={() => setConfirmLeave(false)}>
              Stay
            </button>
          </div>
        </div>
      )}
      <ErrorNote error={save.error ?? leave.error} what="My name and PIN" />
    </details>
  );
}
