import { useEffect, useState } from 'react';
import type { Patient } from '../api-types.js';
import { useCall } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

interface Props {
  selected: Patient | null;
  onSelect: (patient: Patient | null) => void;
}

/** Finds a patient by study code, or creates one (study code, age, sex, group). */
export function PatientPicker({ selected, onSelect }: Props) {
  const [search, setSearch] = useState('');
  const [patients, setPatients] = useState<Patient[]>([]);
  const list = useCall();
  const create = useCall();
  const [code, setCode] = useState('');
  const [age, setAge] = useState('');
  const [sex, setSex] = useState<'' | 'female' | 'male' | 'other' | 'unknown'>('');
  const [group, setGroup] = useState('');
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

  const submit = async (): Promise<void> => {
    const ageYears = age.trim() === '' ? undefined : Number(age);
    const created = await create.run('patients.create', {
      studyCode: code.trim(),
      ...(ageYears === undefined ? {} : { ageYears }),
      ...(sex === '' ? {} : { sex }),
      ...(group.trim() === '' ? {} : { studyGroup: group.trim() }),
    });
    if (created !== null) {
      setPatients((p) => [created, ...p]);
      onSelect(created);
      setCode('');
    }
  };

  return (
    <div className="patient-picker">
      <div className="row">
        <label htmlFor="patient-search">Find patient</label>
        <input
          id="patient-search"
          type="search"
          placeholder="Study code, e.g. P001"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <label htmlFor="patient-select" className="sr-only">
          Patient
        </label>
        <select
          id="patient-select"
          value={selected?.id ?? ''}
          onChange={(e) => onSelect(patients.find((p) => p.id === e.target.value) ?? null)}
        >
          <option value="">— choose —</option>
          {patients.map((p) => (
            <option key={p.id} value={p.id}>
              {p.studyCode}
              {p.ageYears !== undefined ? `, ${p.ageYears} y` : ''}
              {p.studyGroup !== undefined ? `, ${p.studyGroup}` : ''}
            </option>
          ))}
        </select>
      </div>
      <ErrorNote error={list.error} what="Patient list" />
      <details>
        <summary>New patient</summary>
        <form
          className="new-patient"
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <label htmlFor="np-code">Study code</label>
          <input
            id="np-code"
            required
            pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,31}"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <label htmlFor="np-age">Age (years)</label>
          <input
            id="np-age"
            type="number"
            min={0}
            max={130}
            value={age}
            onChange={(e) => setAge(e.target.value)}
          />
          <label htmlFor="np-sex">Sex</label>
          <select id="np-sex" value={sex} onChange={(e) => setSex(e.target.value as typeof sex)}>
            <option value="">not given</option>
            <option value="female">female</option>
            <option value="male">male</option>
            <option value="other">other</option>
            <option value="unknown">unknown</option>
          </select>
          <label htmlFor="np-group">Study group</label>
          <input id="np-group" value={group} onChange={(e) => setGroup(e.target.value)} />
          <button type="submit" className="primary" disabled={create.pending}>
            Create patient
          </button>
        </form>
        <ErrorNote error={create.error} what="Creating the patient" />
      </details>
    </div>
  );
}
