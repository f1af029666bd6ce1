/**
 * The transport-agnostic client built from the gateway API table: `invoke` validates the input
 * before sending and the output on arrival; `on` validates every event payload.
 */
import {
  GatewayApiError,
  type ApiTable,
  type CallInput,
  type CallName,
  type CallOutput,
  type CallResult,
  type EventName,
  type EventPayload,
} from './define.js';

/** Carries calls and events; Electron IPC and the edge WebSocket each provide one. */
export interface GatewayTransport {
  invoke(call: string, input: unknown): Promise<CallResult>;
  subscribe(event: string, listener: (payload: unknown) => void): () => void;
}

export interface GatewayClient<T extends ApiTable> {
  invoke: <K extends CallName<T>>(call: K, input: CallInput<T, K>) => Promise<CallOutput<T, K>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on: <K extends EventName<T>>(event: K, listener: (payload: EventPayload<T, K>) => void) => () => void;
}

/** Builds the client for `table` over `transport`. */
export function createGatewayClient<T extends ApiTable>(
  table: T,
  transport: GatewayTransport,
): GatewayClient<T> {
  return {
    invoke: async <K extends CallName<T>>(call: K, input: CallInput<T, K>): Promise<CallOutput<T, K>> => {
      const spec = table.calls[call];
      if (spec === undefined) throw new GatewayApiError('unknown_call', `unknown call ${call}`);
      const parsedInput = spec.input.safeParse(input);
      if (!parsedInput.success)
        throw new GatewayApiError('invalid_input', `${call}: ${parsedInput.error.message}`);
      const result = await transport.invoke(call, input);
      if (!result.ok) throw new GatewayApiError(result.error.code, result.error.message);
      const parsedOutput = spec.output.safeParse(result.value);
      if (!parsedOutput.success)
        throw new GatewayApiError('invalid_output', `${call}: ${parsedOutput.error.message}`);
      return parsedOutput.data as CallOutput<T, K>;
    },
    on: (event, listener) => {
      const spec = table.events[event];
      if (spec === undefined) throw new GatewayApiError('unknown_event', `unknown event ${event}`);
      return transport.subscribe(event, (payload) => {
        const parsed = spec.payload.safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<T, typeof event>);
        else console.error(`gateway event ${event} does not match the contract`, parsed.error.issues);
      });
    },
  };
}
