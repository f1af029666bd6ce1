/**
 * Several pages may watch one edge gateway; one controls (`preload/access.ts`). This page's role,
 * and the banner a watching page shows: what it can do, and "Take control". Desktop always
 * controls, so it never shows.
 */
import { useState } from 'react';
import { useCall, useGatewayEvent } from '../use-gateway.js';
import { ErrorNote } from './ErrorNote.js';

export interface PageRole {
  controlling: boolean;
  pages: number;
}

/** This page's role, from the gateway's `session.changed` events (controlling until told otherwise). */
export function usePageRole(): PageRole {
  const [role, setRole] = useState<PageRole>({ controlling: true, pages: 1 });
  useGatewayEvent('session.changed', setRole);
  return role;
}

/** Shown while another page controls the gateway. */
export function ViewOnlyBanner({ role }: { role: PageRole }) {
  const take = useCall();
  if (role.controlling) return null;
  return (
    <div role="status" className="view-only-banner">
      <p>
        <strong>View only.</strong> Another page (
        {role.pages - 1 === 1 ? 'one other' : `${role.pages - 1} others`} open) controls this gateway: you see
        everything live, but recording, devices and settings are changed there.
      </p>
      <button type="button" disabled={take.pending} onClick={() => void take.run('app.takeControl', {})}>
        Take control here
      </button>
      <ErrorNote error={take.error} what="Take control" />
    </div>
  );
}
