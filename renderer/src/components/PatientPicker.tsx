import { useEffect, useRef, useState } from 'react';
import { PatientFieldsSchema } from '../../../preload/schemas.js';
import type { Patient } from '../api-types.js';
import { numberLimits, problems } from '../format/validation.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

interface Props {
  selected: Patient | null;
  onSelect: (patient: Patient | null) => void;
  /** While recording the patient cannot change (the recording belongs to it). */
  locked: boolean;
}

const AGE = numberLimits(PatientFieldsSchema.shape.ageYears);
const GROUP_MAX = PatientFieldsSchema.shape.studyGroup.unwrap().maxLength ?? 64;
const FIELDS = {
  studyCode: { label: 'Study code', format: 'letters, digits, - and _ (e.g. P001), at most 32' },
  ageYears: { label: 'Age (years)', format: `a whole number from ${AGE.min ?? 0} to ${AGE.max ?? 130}` },
  sex: { label: 'Sex' },
  studyGroup: { label: 'Study group', format: `at most ${GROUP_MAX} characters` },
};

/** One line that names a patient: study code, age, group. */
export function patientLabel(p: Patient): string {
  return `${p.studyCode}${p.ageYears !== undefined ? `, ${p.ageYears} y` : ''}${p.studyGroup !== undefined ? `, ${p.studyGroup}` : ''}`;
}

/**
 * Finds a patient by study code, or registers one. The chosen patient stays named above the
 * search whatever is typed, and stays in the list even when the search does not match it.
 */
export function PatientPicker({ selected, onSelect, locked }: Props) {
  const [search, setSearch] = useState('');
  const [patients, setPatients] = useState<Patient[]>([]);
  const list = useCall();
  const { run: runList } = list;

  useEffect(() => {
    const id = window.setTimeout(() => {
      void runList(
        'patients.list',
        search.trim() === '' ? { limit: 50 } : { search: search.trim(), limit: 50 },
      ).then((r) => {
        if (r !== null) setPatients(r);
      });
    }, 250);
    return () => window.clearTimeout(id);
  }, [search, runList]);

  const shown =
    selected !== null && !patients.some((p) => p.id === selected.id) ? [selected, ...patients] : patients;
  return (
    <div className="patient-picker">
      <p className="chosen-patient" aria-live="polite">
        Patient:{' '}
        {selected === null ? (
          <strong className="none">none chosen</strong>
        ) : (
          <strong className="patient-code">{patientLabel(selected)}</strong>
        )}
      </p>
      <div className="row">
        <label htmlFor="patient-search">Find patient</label>
        <input
          id="patient-search"
          type="search"
          placeholder="Study code, e.g. P001"
          value={search}
          disabled={locked}
          onChange={(e) => setSearch(e.target.value)}
        />
      </div>
      <div className="row">
        <label htmlFor="patient-select">Patient</label>
        <select
          id="patient-select"
          value={selected?.id ?? ''}
          disabled={locked}
          onChange={(e) => onSelect(shown.find((p) => p.id === e.target.value) ?? null)}
        >
          <option value="">— choose —</option>
          {shown.map((p) => (
            <option key={p.id} value={p.id}>
              {patientLabel(p)}
              {search.trim() !== '' && p.id === selected?.id && !patients.includes(p) ? ' (chosen)' : ''}
            </option>
          ))}
        </select>
      </div>
      {search.trim() !== '' && patients.length === 0 && !list.pending && (
        <p className="hint">No patient matches “{search.trim()}”: register them below.</p>
      )}
      {locked && <p className="hint">The patient cannot change while recording.</p>}
      <ErrorNote error={list.error} what="Patient list" />
      {!locked && (
        <NewPatient
          initialCode={search.trim()}
          onCreated={(created) => {
            setPatients((p) => [created, ...p]);
            setSearch('');
            onSelect(created);
          }}
        />
      )}
    </div>
  );
}

type Sex = '' | 'female' | 'male' | 'other' | 'unknown';

/** Registers a patient; limits and wording come from the contract's patient schema. */
function NewPatient({ initialCode, onCreated }: { initialCode: string; onCreated: (p: Patient) => void }) {
  const [code, setCode] = useState('');
  const [age, setAge] = useState('');
  const [sex, setSex] = useState<Sex>('');
  const [group, setGroup] = useState('');
  const [found, setFound] = useState<string[]>([]);
  const [confirmClear, setConfirmClear] = useState(false);
  const box = useRef<HTMLDetailsElement>(null);
  const create = useCall();
  const dirty = code !== '' || age !== '' || sex !== '' || group !== '';
  const { clearError } = create;
  const fields = (): Record<string, unknown> => ({
    studyCode: code.trim(),
    ...(age.trim() === '' ? {} : { ageYears: Number(age) }),
    ...(sex === '' ? {} : { sex }),
    ...(group.trim() === '' ? {} : { studyGroup: group.trim() }),
  });
  // a problem staff have fixed disappears as they type, not at the next submit
  useEffect(() => {
    clearError();
    setFound((old) => {
      if (old.length === 0) return old;
      const checked = PatientFieldsSchema.safeParse(fields());
      return checked.success ? [] : problems(checked.error, FIELDS);
    });
  }, [code, age, sex, group, clearError]);

  const clear = (): void => {
    setCode('');
    setAge('');
    setSex('');
    setGroup('');
    setFound([]);
    setConfirmClear(false);
    create.clearError();
  };
  const submit = async (): Promise<void> => {
    const checked = PatientFieldsSchema.safeParse(fields());
    setFound(checked.success ? [] : problems(checked.error, FIELDS));
    if (!checked.success) return;
    const created = await create.run('patients.create', checked.data);
    if (created !== null) {
      clear();
      // the form closes so Start recording comes back into view
      if (box.current !== null) box.current.open = false;
      onCreated(created);
    }
  };

  return (
    <details
      className="new-patient-box"
      onToggle={(e) => e.currentTarget.open && code === '' && setCode(initialCode)}
    >
      <summary>New patient</summary>
      <form
        className="form-grid"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor="np-code">Study code</label>
        <input
          id="np-code"
          maxLength={32}
          aria-describedby="np-code-hint"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <span id="np-code-hint" className="small form-hint">
          {FIELDS.studyCode.format}
        </span>
        <label htmlFor="np-age">Age (years)</label>
        <input
          id="np-age"
          type="number"
          min={AGE.min ?? 0}
          max={AGE.max ?? 130}
          value={age}
          onChange={(e) => setAge(e.target.value)}
        />
        <label htmlFor="np-sex">Sex</label>
        <select id="np-sex" value={sex} onChange={(e) => setSex(e.target.value as Sex)}>
          <option value="">not given</option>
          <option value="female">female</option>
          <option value="male">male</option>
          <option value="other">other</option>
          <option value="unknown">unknown</option>
        </select>
        <label htmlFor="np-group">Study group</label>
        <input id="np-group" maxLength={GROUP_MAX} value={group} onChange={(e) => setGroup(e.target.value)} />
        <div className="row form-actions">
          <button type="submit" className="primary" disabled={create.pending}>
            Create patient
          </button>
          <button type="button" disabled={!dirty} onClick={() => setConfirmClear(true)}>
            Clear form
          </button>
        </div>
      </form>
      {confirmClear && (
        <div className="note note-warning" role="alertdialog" aria-labelledby="np-clear-q">
          <p id="np-clear-q">Clear everything typed in the new-patient form?</p>
          <div className="row">
            <button type="button" className="danger" onClick={clear}>
              Yes, clear it
            </button>
            <button type="button" autoFocus onClick={() => setConfirmClear(false)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      {found.length > 0 && (
        <div className="note note-error" role="alert">
          {found.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <ErrorNote error={create.error} what="Creating the patient" />
    </details>
  );
}
