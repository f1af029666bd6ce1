/**
 * The main-side half of the contract: parses every call's input on arrival, runs its handler,
 * and turns the outcome into a {@link CallResult}. Used by the Electron IPC wiring and the edge
 * WebSocket host alike.
 */
import { GatewayApiError, type ApiTable, type CallResult, type GatewayHandlers } from './define.js';

/** Runs `call` with untrusted `input` against `handlers`; never throws. */
export async function dispatchCall<T extends ApiTable>(
  table: T,
  handlers: GatewayHandlers<T>,
  call: unknown,
  input: unknown,
): Promise<CallResult> {
  if (typeof call !== 'string' || !Object.hasOwn(table.calls, call)) {
    return { ok: false, error: { code: 'unknown_call', message: `unknown call ${String(call)}` } };
  }
  const spec = table.calls[call]!;
  const parsed = spec.input.safeParse(input);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
      .join('; ');
    return { ok: false, error: { code: 'invalid_input', message: `${call}: ${detail}` } };
  }
  try {
    const handler = (handlers as Record<string, (input: unknown) => Promise<unknown>>)[call]!;
    return { ok: true, value: await handler(parsed.data) };
  } catch (error) {
    if (error instanceof GatewayApiError)
      return { ok: false, error: { code: error.code, message: error.message } };
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'internal', message } };
  }
}
