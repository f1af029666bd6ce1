/**
 * Small hooks over `window.gateway`: subscribe to an event for the component's lifetime, and run
 * a call with its pending state and error kept for display.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  CallInput,
  CallName,
  CallOutput,
  EventName,
  EventPayload,
  GatewayApi,
} from '../../preload/index-types.js';
import { toShownError, type ShownError } from './errors.js';
import { gateway } from './gateway.js';

/** Calls `listener` for each `event` while mounted (the latest listener, without resubscribing). */
export function useGatewayEvent<K extends EventName<GatewayApi>>(
  event: K,
  listener: (payload: EventPayload<GatewayApi, K>) => void,
): void {
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => gateway().on(event, (payload) => latest.current(payload)), [event]);
}

export interface CallState {
  pending: boolean;
  error: ShownError | null;
  clearError: () => void;
}

/** Runs gateway calls, tracking whether one is in flight and the last error. */
export function useCall(): CallState & {
  run: <K extends CallName<GatewayApi>>(
    call: K,
    input: CallInput<GatewayApi, K>,
  ) => Promise<CallOutput<GatewayApi, K> | null>;
} {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const run = useCallback(
    async <K extends CallName<GatewayApi>>(
      call: K,
      input: CallInput<GatewayApi, K>,
    ): Promise<CallOutput<GatewayApi, K> | null> => {
      setPending(true);
      setError(null);
      try {
        return await gateway().invoke(call, input);
      } catch (e) {
        setError(toShownError(e));
        return null;
      } finally {
        setPending(false);
      }
    },
    [],
  );
  const clearError = useCallback(() => {
    setError(null);
  }, []);
  return { pending, error, clearError, run };
}
