/**
 * How long a card takes to appear: from the `call` message (or the INVITE) to the first frame that shows
 * it. The e2e journey reads `window.__okno.popTimings`; the figures go to BENCHMARKS.md.
 */
export interface PopTiming {
  key: string;
  origin: "cti" | "sip";
  /** Milliseconds from receipt to the frame after the card rendered. */
  ms: number;
}

interface OknoDebug {
  popTimings: PopTiming[];
}

declare global {
  interface Window {
    __okno?: OknoDebug;
  }
}

const received = new Map<string, { at: number; origin: PopTiming["origin"] }>();

export function markReceived(key: string, origin: PopTiming["origin"], at: number): void {
  if (!received.has(key)) {
    received.set(key, { at, origin });
  }
}

/** Called once the card is on screen; records the first showing of each card only. */
export function markVisible(key: string): void {
  const start = received.get(key);
  if (!start) {
    return;
  }
  received.delete(key);
  const debug = (window.__okno ??= { popTimings: [] });
  debug.popTimings.push({
    key,
    origin: start.origin,
    ms: Math.round((performance.now() - start.at) * 10) / 10,
  });
}
