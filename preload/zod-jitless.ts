/**
 * Turns off zod's code-generating fast path before any schema is built (zod decides per schema
 * at construction). The UI's Content-Security-Policy forbids eval, so the fast path would only
 * log a CSP violation and fall back. Import this first in every browser entry.
 */
import { z } from 'zod';

z.config({ jitless: true });
