/** IT (admins): gateways, enrollment codes, staff accounts and the audit log. */
import { href } from '../router.js';
import { AuditLog } from './AuditLog.js';
import { EnrollmentCodes } from './EnrollmentCodes.js';
import { Gateways } from './Gateways.js';
import { StaffAccounts } from './StaffAccounts.js';

const TABS = [
  ['gateways', 'Gateways'],
  ['enrollment', 'Enrollment codes'],
  ['users', 'Staff accounts'],
  ['audit', 'Audit log'],
] as const;

export function ItPage({ tab }: { tab: string }) {
  return (
    <>
      <h1>IT</h1>
      <nav aria-label="IT views" className="tabs">
        <ul>
          {TABS.map(([t, label]) => (
            <li key={t}>
              <a href={href('it', t)} aria-current={tab === t ? 'page' : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === 'enrollment' ? (
        <EnrollmentCodes />
      ) : tab === 'users' ? (
        <StaffAccounts />
      ) : tab === 'audit' ? (
        <AuditLog />
      ) : (
        <Gateways />
      )}
    </>
  );
}
