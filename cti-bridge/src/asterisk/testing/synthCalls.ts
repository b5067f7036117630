import type { CallEvent } from "@okno/contracts";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { FIXTURES_DIR, listCaptures, loadCapture, parseFrames, type Capture } from "./captures.ts";
import { trackFrames } from "./replay.ts";

/**
 * Synthetic calls for the CTI benchmark and the reliability test: copies of the real Asterisk captures
 * (../shared/fixtures/asterisk) with every identifier made unique per copy — Uniqueid/Linkedid, channel
 * sequence numbers, bridge ids — and the customer's number replaced, so thousands of copies interleave on
 * one AMI connection as thousands of distinct calls from distinct clients. Everything else (event order,
 * VarSet noise, sizes) is the real PBX's.
 */
export interface SynthCall {
  capture: string;
  /** The call id the bridge gives it: "ast1:<Linkedid>". */
  callId: string;
  /** The customer's number, E.164. */
  number: string;
  frames: Buffer[];
  /**
   * When each frame comes, in ms from the call's start, on the real PBX's clock: the AMI capture has no
   * times, so they are read from the same call's ARI capture (event k of n at the time of ARI event
   * k·m/n). Real calls come in bursts — ring, answer, hang-up — not as an even trickle.
   */
  atMs: readonly number[];
  /** The first frame after which an agent's phone rings (or an agent dials): the screen pop's cause. */
  popFrame: number;
  /** What the bridge should end the call as (from replaying the original capture). */
  endedAs: string | null;
}

interface Template {
  capture: Capture;
  texts: string[];
  /** Distinct Uniqueid epochs, the earliest first (copies keep their offsets from it). */
  epoch0: number;
  /** The customer's national number in the capture ("9161234567"). */
  national: string;
  popFrame: number;
  endedAs: string | null;
  linkedid: string;
  atMs: number[];
}

const UNIQUEID = /\b(1\d{9})\.(\d+)\b/g;
const CHANNEL_SEQ = /-([0-9a-f]{8})(?=[;,\s\r])/g;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g;
/** The agents' extensions 101–103 wherever they stand alone (not inside a Uniqueid or channel number). */
const AGENT = /(?<![\w.])10([123])(?!\d)/g;
/** The customers in the captures (fixtures README): the only 10-digit mobile numbers in them. */
const CUSTOMER = /(?<=\b[78]?|\+7)9\d{9}\b/;

/** The captures that are one whole call each (webrtc-inbound has its own agent naming; it is left out). */
const SCENARIOS = [
  "inbound-answered",
  "inbound-tracking-abandoned",
  "inbound-atxfer",
  "inbound-blindxfer",
  "outbound-from-agent",
] as const;

function template(name: string): Template {
  const capture = loadCapture(name);
  const texts = capture.frames.map((frame) => frame.toString("utf8"));
  const epochs = texts.flatMap((text) => [...text.matchAll(UNIQUEID)].map((m) => Number(m[1])));
  const national = texts.map((text) => CUSTOMER.exec(text)?.[0]).find(Boolean);
  if (!national || epochs.length === 0) {
    throw new Error(`capture ${name} has no customer number or Uniqueid`);
  }
  const frames = parseFrames(capture.frames);
  // Replay the original once to learn which frame pops the card and how the call ends.
  let popFrame = -1;
  const seen: CallEvent[] = [];
  for (let i = 0; i < frames.length && popFrame < 0; i += 1) {
    seen.push(...trackFrames(frames.slice(0, i + 1)).slice(seen.length));
    if (seen.some(isPop)) {
      popFrame = i;
    }
  }
  const all = trackFrames(frames);
  const ended = all.find((event) => event.type === "call.ended");
  if (popFrame < 0 || !ended) {
    throw new Error(`capture ${name}: the tracker finds no agent ringing or no end`);
  }
  return {
    capture,
    texts,
    epoch0: Math.min(...epochs),
    national,
    popFrame,
    endedAs: "cause" in ended ? String(ended.cause) : null,
    linkedid: ended.callId.replace(/^ast1:/, ""),
    atMs: frameTimes(name, texts.length),
  };
}

function frameTimes(name: string, frames: number): number[] {
  const stamps = readFileSync(resolve(FIXTURES_DIR, `${name}.ari.jsonl`), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) =>
      Date.parse(String((JSON.parse(line) as { timestamp?: string }).timestamp).replace(/\+0000$/, "Z")),
    )
    .filter((t) => Number.isFinite(t))
    .sort((a, b) => a - b);
  if (stamps.length === 0) {
    throw new Error(`capture ${name} has no timed ARI events`);
  }
  return Array.from(
    { length: frames },
    (_, k) => stamps[Math.floor((k * stamps.length) / frames)]! - stamps[0]!,
  );
}

function isPop(event: CallEvent): boolean {
  return (
    (event.type === "call.ringing" || event.type === "call.answered") &&
    typeof event.agentExt === "string" &&
    event.agentExt !== ""
  );
}

let templates: Template[] | null = null;

function loadTemplates(): Template[] {
  templates ??= SCENARIOS.filter((name) => listCaptures().includes(name)).map(template);
  return templates;
}

/**
 * The `index`-th synthetic call (0-based, unique across a run up to 10⁶ calls), of scenario
 * `index mod scenarios`, from `number` (E.164 +7…), answered by `agents` in the roles the captures'
 * 101, 102 and 103 play (by default those: the demo company's agents).
 */
export function synthCall(
  index: number,
  number: string,
  agents: readonly [string, string, string] = ["101", "102", "103"],
): SynthCall {
  const all = loadTemplates();
  const t = all[index % all.length]!;
  const national = number.replace(/^\+7/, "");
  // Epochs 1.8e9 + 100·index: copies never share a Uniqueid, and a copy keeps its legs' relative order.
  const epochBase = 1_800_000_000 + index * 100;
  const ids = (text: string) =>
    text.replace(
      UNIQUEID,
      (_, epoch: string, seq: string) => `${epochBase + Number(epoch) - t.epoch0}.${seq}`,
    );
  const channels = (text: string) =>
    text.replace(
      CHANNEL_SEQ,
      (_, hex: string) => `-${(index * 64 + parseInt(hex, 16)).toString(16).padStart(8, "0")}`,
    );
  const bridges = (text: string) =>
    text.replace(UUID, (uuid) => `${uuid.slice(0, 24)}${index.toString(16).padStart(12, "0")}`);
  const people = (text: string) =>
    text.replaceAll(t.national, national).replace(AGENT, (_, k: string) => agents[Number(k) - 1]!);
  const frames = t.texts.map((text) => Buffer.from(people(bridges(channels(ids(text)))), "utf8"));
  return {
    capture: t.capture.name,
    callId: `ast1:${ids(t.linkedid)}`,
    number,
    frames,
    popFrame: t.popFrame,
    endedAs: t.endedAs,
    atMs: t.atMs,
  };
}

/** The scenarios in the mix, with their frame counts (for the report). */
export function scenarioMix(): { name: string; frames: number }[] {
  return loadTemplates().map((t) => ({ name: t.capture.name, frames: t.texts.length }));
}
