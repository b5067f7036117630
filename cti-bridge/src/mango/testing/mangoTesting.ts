import { readFileSync } from "node:fs";
import type { CallEvent } from "@okno/contracts";
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from "fastify";
import pino, { type Logger } from "pino";
import type { MangoCall } from "../callStore.ts";
import { createMangoIngest, type MangoIngest } from "../ingest.ts";
import { CallPayload, RecordAddedPayload, RecordingPayload, SummaryPayload } from "../payloads.ts";
import { signMango } from "../sign.ts";
import {
  mangoWebhooks,
  type MangoCommandResult,
  type MangoWebhookOptions,
  type MangoWebhookStats,
} from "../webhook.ts";

/* Helpers for the Mango adapter's tests: fixtures, signing like Mango does, a logger that keeps lines. */

export const TEST_KEY = "vpbx-okno-test-key";
export const TEST_SALT = "okno-test-salt-0123456789";

export type FixtureWebhook = { path: string; json: unknown };

export function loadFixture(name: string): FixtureWebhook[] {
  const url = new URL(`../fixtures/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, "utf8")) as { webhooks: FixtureWebhook[] }).webhooks;
}

/** A form body as Mango sends it: the sign is over `json` exactly as written here. */
export function signedForm(json: string, key = TEST_KEY, salt = TEST_SALT): string {
  return new URLSearchParams({ vpbx_api_key: key, sign: signMango(key, json, salt), json }).toString();
}

export type MemoryLog = { log: Logger; text: () => string; entries: () => Record<string, unknown>[] };

export function memoryLogger(): MemoryLog {
  const lines: string[] = [];
  const log = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
  return {
    log,
    text: () => lines.join(""),
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** An event without its envelope (id, callId, time, pbx, raw), for comparing what it says. */
export function brief(e: CallEvent): Record<string, unknown> {
  const rest: Record<string, unknown> = { ...e };
  for (const key of ["id", "callId", "at", "pbx", "raw"]) {
    delete rest[key];
  }
  return rest;
}

/** The same permutation for the same seed (mulberry32), so a failing order can be replayed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** What a call's state says, without the bookkeeping of how it got there (seen seqs, timestamps). */
export function snapshotOf(calls: ReadonlyMap<string, MangoCall>): Record<string, unknown> {
  return Object.fromEntries(
    [...calls.values()].map((call) => [
      call.entryId,
      {
        isClosed: call.isClosed,
        wasQueued: call.wasQueued,
        wasAnswered: call.wasAnswered,
        legs: Object.fromEntries(
          [...call.legs.values()].map(({ seen: _seen, pending, ...leg }) => [
            leg.callId,
            { ...leg, pending: pending.size },
          ]),
        ),
      },
    ]),
  );
}

/** Feeds fixture webhooks straight into an ingest, without HTTP (close the ingest when done). */
export function replayIngest(webhooks: FixtureWebhook[]): { events: CallEvent[]; ingest: MangoIngest } {
  const events: CallEvent[] = [];
  const ingest = createMangoIngest({
    pbxId: "mango",
    log: memoryLogger().log,
    onEvent: (e) => void events.push(e),
  });
  for (const { path, json } of webhooks) {
    if (path === "events/call") {
      ingest.handleCall(CallPayload.parse(json));
    } else if (path === "events/summary") {
      ingest.handleSummary(SummaryPayload.parse(json));
    } else if (path === "events/recording") {
      ingest.handleRecording(RecordingPayload.parse(json));
    } else if (path === "events/record/added") {
      ingest.handleRecordAdded(RecordAddedPayload.parse(json));
    }
  }
  return { events, ingest };
}

export type WebhookApp = {
  app: FastifyInstance;
  events: CallEvent[];
  results: MangoCommandResult[];
  ingest: () => MangoIngest;
  stats: () => MangoWebhookStats;
  memory: MemoryLog;
  /** POSTs a fixture webhook (or any JSON text) signed with the test key, form-encoded. */
  post: (path: string, json: unknown) => Promise<LightMyRequestResponse>;
};

/** A Fastify app with the plugin at /webhooks/mango, as the bridge host mounts it. */
export async function startWebhookApp(ingest?: MangoWebhookOptions["ingest"]): Promise<WebhookApp> {
  const memory = memoryLogger();
  const events: CallEvent[] = [];
  const results: MangoCommandResult[] = [];
  let handle: Parameters<NonNullable<MangoWebhookOptions["onReady"]>>[0] | null = null;
  const app = Fastify();
  await app.register(mangoWebhooks, {
    prefix: "/webhooks/mango",
    apiKey: TEST_KEY,
    apiSalt: TEST_SALT,
    pbxId: "mango",
    log: memory.log,
    onEvent: (e) => void events.push(e),
    onCommandResult: (r) => void results.push(r),
    onReady: (h) => (handle = h),
    ingest,
  });
  await app.ready();
  const ready = () => {
    if (handle === null) {
      throw new Error("mango plugin not ready");
    }
    return handle;
  };
  return {
    app,
    events,
    results,
    memory,
    ingest: () => ready().ingest,
    stats: () => ready().stats(),
    post: (path, json) =>
      app.inject({
        method: "POST",
        url: `/webhooks/mango/${path}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: signedForm(typeof json === "string" ? json : JSON.stringify(json)),
      }),
  };
}
