/**
 * Hash routing: every screen is `/#/path?query`, so the server serves one page at `/` and a
 * reload or a shared link lands on the same screen. `useRoute` re-renders on `hashchange`.
 */
import { useEffect, useState } from 'react';

export interface Route {
  /** Path segments after `#/`, e.g. `['recordings', '0190…', 'ecg']`. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [path = '', search = ''] = raw.split('?', 2);
  return {
    segments: path
      .split('/')
      .filter((s) => s !== '')
      .map(decodeURIComponent),
    query: new URLSearchParams(search),
  };
}

/** The link to a screen: `href('recordings', id, 'ecg', { t: 123 })` → `#/recordings/<id>/ecg?t=123`. */
export function href(...parts: (string | Record<string, string | number | undefined>)[]): string {
  const segments = parts.filter((p): p is string => typeof p === 'string').map(encodeURIComponent);
  const params = new URLSearchParams();
  for (const p of parts) {
    if (typeof p === 'string') continue;
    for (const [key, value] of Object.entries(p)) if (value !== undefined) params.set(key, String(value));
  }
  const query = params.toString();
  return `#/${segments.join('/')}${query === '' ? '' : `?${query}`}`;
}

export function navigate(to: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', to);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else window.location.hash = to.slice(1);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
