import type { CallEvent } from "@okno/contracts";
import type { Logger } from "pino";
import { parseAmiEvent } from "./amiEvents.ts";
import type { AmiAction, AmiResult } from "./amiActions.ts";
import { startAmiClient, type AmiClientStats } from "./amiClient.ts";
import type { AmiFrame } from "./amiFrame.ts";
import { DEFAULT_AGENT_PATTERN } from "./channels.ts";
import { buildResyncFrames, readPbxSnapshot } from "./resync.ts";
import { createEventClock, eventTime, toCallEvent } from "./toCallEvent.ts";
import { applyAmiEvent } from "./tracker.ts";
import { createTrackerState, type TrackerConfig } from "./trackerState.ts";
import { lookupCall, type CallChannels } from "./callLookup.ts";
import { createEmitEvent } from "../emitEvent.ts";

export { DEFAULT_AGENT_PATTERN } from "./channels.ts";

export type AsteriskAdapterOptions = {
  /** ami://user:secret@host:5038 (ARCHITECTURE §10, AMI_URL). */
  amiUrl: string;
  /** The PBX connection id, the prefix of every callId ("ast1" → "ast1:1795456775.0"). */
  pbxId: string;
  /** Agent endpoints (the first group is the extension); everything else that dials is a trunk. */
  agentPattern?: RegExp | string;
  /** Receives each call event in order. It should not throw; if it does, the error is logged. */
  onEvent: (event: CallEvent) => void | Promise<void>;
  log: Logger;
  pingIntervalMs?: number;
  actionTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  now?: () => Date;
};

export type AsteriskAdapterStats = AmiClientStats & {
  /** AMI events applied to the tracker (after any resync hold-back). */
  appliedEvents: number;
  /** AMI events whose fields did not match their schema: logged at warn and skipped. */
  invalidEvents: number;
  callEvents: number;
  /** Call events that failed the contract (a bug here): logged at error, not sent. */
  rejectedCallEvents: number;
  resyncs: number;
  resyncFailures: number;
  activeCalls: number;
  activeChannels: number;
};

export type AsteriskAdapter = {
  stop: () => Promise<void>;
  stats: () => AsteriskAdapterStats;
  /** Sends an AMI action on the adapter's connection (commands: Redirect, BlindTransfer, QueuePause…). */
  sendAction: (action: AmiAction, timeoutMs?: number) => Promise<AmiResult>;
  /** The tracked channels of a call by Linkedid, read-only (commands map callId/legId to channels). */
  lookupCall: (linkedid: string) => CallChannels | null;
};

export function parseAmiUrl(amiUrl: string): {
  host: string;
  port: number;
  username: string;
  secret: string;
} {
  const url = new URL(amiUrl);
  if (url.protocol !== "ami:" || url.hostname === "" || url.username === "") {
    throw new Error("AMI URL must look like ami://user:secret@host:5038");
  }
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port: url.port === "" ? 5038 : Number(url.port),
    username: decodeURIComponent(url.username),
    secret: decodeURIComponent(url.password),
  };
}

/**
 * Connects to Asterisk AMI, tracks calls and hands each CallEvent to `onEvent`. After every login it
 * resyncs with the PBX; live events that arrive meanwhile wait and are applied after the snapshot.
 */
export function startAsteriskAdapter(options: AsteriskAdapterOptions): AsteriskAdapter {
  const log = options.log.child({ module: "asterisk", pbx: options.pbxId });
  const pattern = options.agentPattern ?? DEFAULT_AGENT_PATTERN;
  const config: TrackerConfig = { agentPattern: typeof pattern === "string" ? new RegExp(pattern) : pattern };
  const now = options.now ?? (() => new Date());
  const state = createTrackerState();
  const counters = {
    appliedEvents: 0,
    invalidEvents: 0,
    callEvents: 0,
    rejectedCallEvents: 0,
    resyncs: 0,
    resyncFailures: 0,
  };
  const orderedAt = createEventClock();
  let waiting: { frame: AmiFrame; seq: number }[] | null = null;
  let received = 0;

  const emit = createEmitEvent(options.onEvent, log, counters);

  function handleFrame(frame: AmiFrame, origin: "live" | "resync"): void {
    received += 1;
    counters.appliedEvents += origin === "live" ? 1 : 0;
    const parsed = parseAmiEvent(frame);
    if (parsed.kind === "invalid") {
      counters.invalidEvents += 1;
      log.warn({ event: parsed.name, problem: parsed.problem }, "ami event skipped");
      return;
    }
    if (parsed.kind === "other") {
      return;
    }
    const drafts = applyAmiEvent(state, parsed, config);
    const envelope = {
      pbx: options.pbxId,
      at: eventTime(frame, now),
      raw: `ami:${origin}:${parsed.event.Event}#${received}`,
    };
    for (const draft of drafts) {
      const event = toCallEvent(draft, envelope);
      emit({ ...event, at: orderedAt(event.callId, event.at) });
    }
  }

  /**
   * Live events wait while the snapshot is read. Those that arrived before the CoreShowChannels answer
   * happened before the snapshot and are applied first; the snapshot's difference next; the rest last.
   */
  async function resync(): Promise<void> {
    waiting = [];
    try {
      const snapshot = await readPbxSnapshot((action) => client.sendAction(action), state, log);
      applyWaiting((seq) => seq < snapshot.seq);
      const frames = buildResyncFrames(state, snapshot);
      counters.resyncs += 1;
      log.info({ channels: snapshot.channels.length, frames: frames.length }, "ami resynced");
      for (const frame of frames) {
        handleFrame(frame, "resync");
      }
    } catch (err) {
      counters.resyncFailures += 1;
      log.warn({ err: (err as Error).message }, "ami resync failed");
    } finally {
      applyWaiting(() => true);
      waiting = null;
    }
  }

  function applyWaiting(isDue: (seq: number) => boolean): void {
    const due = (waiting ?? []).filter((item) => isDue(item.seq));
    waiting = (waiting ?? []).filter((item) => !isDue(item.seq));
    for (const item of due) {
      handleFrame(item.frame, "live");
    }
  }

  const client = startAmiClient({
    ...parseAmiUrl(options.amiUrl),
    log: options.log.child({ pbx: options.pbxId }),
    onEvent: (frame, seq) => (waiting ? waiting.push({ frame, seq }) : handleFrame(frame, "live")),
    onReady: resync,
    pingIntervalMs: options.pingIntervalMs,
    actionTimeoutMs: options.actionTimeoutMs,
    backoff: options.backoff,
  });

  return {
    stop: () => client.stop(),
    sendAction: (action, timeoutMs) => client.sendAction(action, timeoutMs),
    lookupCall: (linkedid) => lookupCall(state, linkedid),
    stats: () => ({
      ...client.stats(),
      ...counters,
      activeCalls: state.calls.size,
      activeChannels: state.channels.size,
    }),
  };
}
