import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { variableName } from "../amiEvents.ts";
import { createFrameParser, headerOf, type AmiFrame } from "../amiFrame.ts";

/** The shared fixtures live beside the repository: <repo>/../shared/fixtures/asterisk (CI clones shared/ there). */
export const FIXTURES_DIR = resolve(import.meta.dirname, "../../../..", "../shared/fixtures/asterisk");

/**
 * A real AMI capture split for replay. The file is banner + login response + events + the capturer's
 * Logoff "Goodbye"; a live handshake replaces the first two and the last, and the events in between are
 * replayed byte for byte, one frame (with its blank line) per entry.
 */
export type Capture = { name: string; banner: string; frames: Buffer[] };

const FRAME_END = Buffer.from("\r\n\r\n");

export function listCaptures(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((file) => file.endsWith(".ami.txt"))
    .map((file) => file.replace(/\.ami\.txt$/, ""))
    .sort();
}

function splitFrames(bytes: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = 0;
  for (let end = bytes.indexOf(FRAME_END, start); end !== -1; end = bytes.indexOf(FRAME_END, start)) {
    frames.push(bytes.subarray(start, end + FRAME_END.length));
    start = end + FRAME_END.length;
  }
  return frames;
}

export function loadCapture(name: string): Capture {
  const bytes = readFileSync(resolve(FIXTURES_DIR, `${name}.ami.txt`));
  const bannerEnd = bytes.indexOf("\r\n");
  const banner = bytes.toString("utf8", 0, bannerEnd);
  const frames = splitFrames(bytes.subarray(bannerEnd + 2));
  const isHandshake = (frame: Buffer) =>
    /^Response: (Success|Goodbye)\r\nActionID: capture-/.test(frame.toString("latin1", 0, 60));
  return { name, banner, frames: frames.filter((frame) => !isHandshake(frame)) };
}

/** A copy of a capture with frames rewritten (text → new text) or dropped (→ null). */
export function rewriteCapture(
  capture: Capture,
  rewrite: (text: string, index: number) => string | null,
): Capture {
  const frames: Buffer[] = [];
  capture.frames.forEach((frame, index) => {
    const text = rewrite(frame.toString("utf8"), index);
    if (text !== null) {
      frames.push(Buffer.from(text, "utf8"));
    }
  });
  return { ...capture, frames };
}

export function parseFrames(frames: Buffer[]): AmiFrame[] {
  const parsed: AmiFrame[] = [];
  const parser = createFrameParser({ onFrame: (frame) => parsed.push(frame) });
  frames.forEach((frame) => parser.push(frame));
  return parsed;
}

/** Index of the first frame matching a test, for choosing where to drop or resume a replay. */
export function frameIndex(capture: Capture, matches: (frame: AmiFrame) => boolean, from = 0): number {
  const frames = parseFrames(capture.frames);
  const index = frames.findIndex((frame, i) => i >= from && matches(frame));
  if (index === -1) {
    throw new Error(`no matching frame in ${capture.name}`);
  }
  return index;
}

/** Byte offset of a frame in the replayed stream. */
export function byteOffsetOf(capture: Capture, frame: number): number {
  return capture.frames.slice(0, frame).reduce((sum, bytes) => sum + bytes.length, 0);
}

export type Snapshot = {
  channels: AmiFrame[];
  queueEntries: AmiFrame[];
  vars: Record<string, Record<string, string>>;
};

const SNAPSHOT_FIELDS = [
  "Channel",
  "ChannelState",
  "ChannelStateDesc",
  "CallerIDNum",
  "CallerIDName",
  "ConnectedLineNum",
];
const MORE_FIELDS = [
  "ConnectedLineName",
  "Language",
  "AccountCode",
  "Context",
  "Exten",
  "Priority",
  "Uniqueid",
  "Linkedid",
];

/**
 * What Asterisk would answer to CoreShowChannels / QueueStatus / Getvar once these frames happened:
 * channels not hung up, with their last state, bridge and variables, and the callers still queued.
 */
export function snapshotOf(history: Buffer[]): Snapshot {
  const channels = new Map<string, AmiFrame>();
  const queueEntries = new Map<string, AmiFrame>();
  const vars: Record<string, Record<string, string>> = {};
  for (const frame of parseFrames(history)) {
    const event = headerOf(frame, "Event");
    const uniqueid = headerOf(frame, "Uniqueid") ?? "";
    if (event === "Hangup") {
      channels.delete(uniqueid);
      queueEntries.delete(uniqueid);
      continue;
    }
    const known = channels.get(uniqueid);
    if (known || (event === "Newchannel" && uniqueid !== "")) {
      channels.set(uniqueid, updateChannel(known, frame));
    }
    if (event === "VarSet") {
      (vars[uniqueid] ??= {})[variableName(headerOf(frame, "Variable") ?? "")] =
        headerOf(frame, "Value") ?? "";
    } else if (event === "QueueCallerJoin") {
      queueEntries.set(uniqueid, queueEntryOf(frame));
    } else if (event === "QueueCallerLeave" || event === "QueueCallerAbandon") {
      queueEntries.delete(uniqueid);
    }
  }
  return { channels: [...channels.values()], queueEntries: [...queueEntries.values()], vars };
}

function updateChannel(known: AmiFrame | undefined, frame: AmiFrame): AmiFrame {
  const channel: AmiFrame = known ?? {
    Event: "CoreShowChannel",
    BridgeId: "",
    Application: "",
    ApplicationData: "",
    Duration: "00:00:01",
  };
  for (const name of [...SNAPSHOT_FIELDS, ...MORE_FIELDS]) {
    channel[name] = headerOf(frame, name) ?? headerOf(channel, name) ?? "";
  }
  const event = headerOf(frame, "Event");
  if (event === "BridgeEnter") {
    channel.BridgeId = headerOf(frame, "BridgeUniqueid") ?? "";
  } else if (event === "BridgeLeave") {
    channel.BridgeId = "";
  }
  return channel;
}

function queueEntryOf(frame: AmiFrame): AmiFrame {
  const entry: AmiFrame = { Event: "QueueEntry" };
  for (const name of [
    "Queue",
    "Position",
    "Channel",
    "Uniqueid",
    "CallerIDNum",
    "CallerIDName",
    "ConnectedLineNum",
  ]) {
    entry[name] = headerOf(frame, name) ?? "";
  }
  return { ...entry, Wait: "1", Priority: "0" };
}
