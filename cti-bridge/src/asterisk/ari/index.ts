import type { Logger } from "pino";
import type { AriEvent } from "./ariEvents.ts";
import { createAriRest, type AriRest } from "./ariRest.ts";
import { startAriSocket, type AriSocketStats } from "./ariSocket.ts";
import { createSupervisor, type Supervisor } from "./supervise.ts";

export { AriError, type AriRest } from "./ariRest.ts";
export type { SuperviseMode } from "./supervise.ts";

export type AriOptions = {
  /** ARI_URL: http://user:pass@host:8088/ari. */
  ariUrl: string;
  /** ARI_APP: our Stasis application. */
  app: string;
  log: Logger;
  timeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  /** Every validated event, after the bridge's own handling (tests, future adapters). */
  onEvent?: (event: AriEvent) => void;
};

export type Ari = {
  app: string;
  rest: AriRest;
  supervisor: Supervisor;
  stats: () => AriSocketStats;
  ready: () => Promise<void>;
  stop: () => Promise<void>;
};

/**
 * ARI for the calls Okno controls (ARCHITECTURE §8): REST for originate, hangup, snoop and bridges, and
 * the events socket that keeps the Stasis application registered and drives supervision sessions.
 * Passive call tracking stays on AMI, which sees every dialplan.
 */
export function startAri(options: AriOptions): Ari {
  const rest = createAriRest({ ariUrl: options.ariUrl, log: options.log, timeoutMs: options.timeoutMs });
  const supervisor = createSupervisor({ rest, app: options.app, log: options.log });
  const socket = startAriSocket({
    ariUrl: options.ariUrl,
    app: options.app,
    log: options.log,
    backoff: options.backoff,
    onEvent: (event) => {
      supervisor.handleEvent(event);
      options.onEvent?.(event);
    },
  });
  return { app: options.app, rest, supervisor, stats: socket.stats, ready: socket.ready, stop: socket.stop };
}
