import type { CallEvent } from "@okno/contracts";
import { pino } from "pino";
import { parseAmiEvent } from "../amiEvents.ts";
import type { AmiFrame } from "../amiFrame.ts";
import { DEFAULT_AGENT_PATTERN } from "../channels.ts";
import { startAsteriskAdapter, type AsteriskAdapterStats } from "../index.ts";
import { toCallEvent } from "../toCallEvent.ts";
import { applyAmiEvent } from "../tracker.ts";
import { createTrackerState, type TrackerState } from "../trackerState.ts";
import { startFakeAmiServer, type ConnectionScript, type FakeAmiServer } from "./fakeAmiServer.ts";

export const PBX = "ast1";
export const silentLog = pino({ level: "silent" });
const AT = "2026-11-23T18:00:00.000Z";

/** Feeds frames straight into a tracker (no TCP): for unit tests of the mapping. */
export function trackFrames(
  frames: AmiFrame[],
  options: { state?: TrackerState; agentPattern?: RegExp } = {},
): CallEvent[] {
  const state = options.state ?? createTrackerState();
  const config = { agentPattern: options.agentPattern ?? DEFAULT_AGENT_PATTERN };
  const events: CallEvent[] = [];
  for (const frame of frames) {
    const parsed = parseAmiEvent(frame);
    if (parsed.kind === "tracked") {
      for (const draft of applyAmiEvent(state, parsed, config)) {
        events.push(toCallEvent(draft, { pbx: PBX, at: AT }));
      }
    }
  }
  return events;
}

export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type AdapterRun = {
  events: CallEvent[];
  stats: AsteriskAdapterStats;
  server: FakeAmiServer;
};

/**
 * Serves the scripts from a fake AMI server to a real adapter until `isDone` says the expected input has
 * arrived (by default: every script's replay written and that many AMI events received), then stops.
 */
export async function runAdapter(
  scripts: ConnectionScript[],
  options: {
    agentPattern?: RegExp;
    isDone?: (stats: AsteriskAdapterStats, events: CallEvent[]) => boolean;
    pingIntervalMs?: number;
  } = {},
): Promise<AdapterRun> {
  const server = await startFakeAmiServer({ scripts });
  const events: CallEvent[] = [];
  const adapter = startAsteriskAdapter({
    amiUrl: server.url(),
    pbxId: PBX,
    agentPattern: options.agentPattern,
    onEvent: (event) => {
      events.push(event);
    },
    log: silentLog,
    pingIntervalMs: options.pingIntervalMs,
    backoff: { initialMs: 10, maxMs: 40 },
  });
  const replayed = scripts.reduce(
    (sum, script) =>
      sum +
      (script.replay ?? []).reduce(
        (n, source) => n + source.capture.frames.slice(source.fromFrame ?? 0, source.toFrame).length,
        0,
      ),
    0,
  );
  const isDone = options.isDone ?? ((stats) => stats.appliedEvents >= replayed);
  try {
    await Promise.all(scripts.map((_, index) => server.replayDone(index)));
    await waitUntil(() => isDone(adapter.stats(), events), "the adapter to take in the replay");
    return { events, stats: adapter.stats(), server };
  } finally {
    await adapter.stop();
    await server.close();
  }
}

/** The fields a reader checks per event type, for readable expectations. */
export function brief(event: CallEvent): Record<string, unknown> {
  switch (event.type) {
    case "call.ringing": {
      const { type, legId, direction, from, to, line, agentExt, queue, source } = event;
      return { type, legId, direction, from, to, line, agentExt, queue, source };
    }
    case "call.answered":
    case "call.held":
    case "call.resumed":
      return { type: event.type, legId: event.legId, agentExt: event.agentExt };
    case "call.transferred":
      return { type: event.type, kind: event.kind, fromExt: event.fromExt, to: event.to };
    case "call.ended": {
      // legId is set on a leg's end (a phone stopped ringing), absent on the call's own end.
      const { type, legId, cause, q850, agentExt } = event;
      return { type, legId, cause, q850, agentExt };
    }
    case "recording.ready":
      return { type: event.type, recordingId: event.recordingId };
  }
}
