import { useEffect, useState } from 'react';
import type { EcgStream } from '../ecg/ecg-stream.js';
import type { SweepClock } from '../ecg/sweep-clock.js';
import type { EcgLiveStatus } from './EcgStatusLine.js';

/** Silence after which the view says the signal has stopped, ms. */
export const NO_SIGNAL_AFTER_MS = 2000;

/** The live view's state in words, polled twice a second (React state changes only when it does). */
export function useEcgLiveStatus(stream: EcgStream, clock: SweepClock): EcgLiveStatus {
  const [live, setLive] = useState<EcgLiveStatus>({
    state: 'waiting',
    rateHz: null,
    serial: null,
    silenceS: 0,
  });
  useEffect(() => {
    const id = window.setInterval(() => {
      const silenceMs = clock.silenceMs(performance.now());
      const state = stream.ring === null ? 'waiting' : silenceMs > NO_SIGNAL_AFTER_MS ? 'stopped' : 'live';
      const next = {
        state,
        rateHz: stream.ring === null ? null : stream.sampleRateHz,
        serial: stream.ring === null ? null : stream.deviceSerial,
        silenceS: Math.floor(silenceMs / 1000),
      } as const;
      setLive((prev) =>
        prev.state === next.state &&
        prev.rateHz === next.rateHz &&
        prev.serial === next.serial &&
        (next.state !== 'stopped' || prev.silenceS === next.silenceS)
          ? prev
          : next,
      );
    }, 500);
    return () => window.clearInterval(id);
  }, [stream, clock]);
  return live;
}
