import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { CALL_EVENTS_VERSION, ServerMessage, type CallEvent, type CallPush } from "@okno/contracts";
import { WebSocket } from "ws";
import { startTestApp, type TestApp } from "../test/testApp.ts";
import type { CallPayload } from "./payload.ts";

/** The bridge's secret in tests. */
export const CTI_TOKEN = "test-cti-token-0123456789abcdefghijklmnop";

export const startCtiApp = () => startTestApp({ cti: { token: CTI_TOKEN } });

/** POSTs a batch as the bridge does; returns the response. */
export function postEvents(t: TestApp, events: CallEvent[], token = CTI_TOKEN) {
  return t.app.inject({
    method: "POST",
    url: "/api/v1/cti/events",
    headers: { authorization: `Bearer ${token}` },
    payload: { version: CALL_EVENTS_VERSION, events },
  });
}

/** Posts and expects 200: `{accepted, duplicates}`. */
export async function feed(
  t: TestApp,
  ...events: CallEvent[]
): Promise<{ accepted: number; duplicates: number }> {
  const res = await postEvents(t, events);
  if (res.statusCode !== 200) {
    throw new Error(`POST /cti/events: ${res.statusCode} ${res.body}`);
  }
  return res.json();
}

type Fields<T extends CallEvent["type"]> = Omit<
  Extract<CallEvent, { type: T }>,
  "id" | "callId" | "at" | "pbx" | "type"
>;

/** Builds the events of one call; `sec` is seconds after the call's start. */
export function callOf(callId = `ast1:${randomUUID()}`, start = Date.now() - 60_000) {
  const event = <T extends CallEvent["type"]>(type: T, sec: number, fields: Fields<T>): CallEvent =>
    ({
      id: randomUUID(),
      callId,
      pbx: "ast1",
      at: new Date(start + sec * 1000).toISOString(),
      type,
      ...fields,
    }) as CallEvent;
  return {
    callId,
    event,
    /** An inbound call ringing an extension (or waiting in a queue when `agentExt` is null). */
    ringing: (
      sec: number,
      from: string,
      opts: { line?: string; agentExt?: string | null; queue?: string; legId?: string } = {},
    ) =>
      event("call.ringing", sec, {
        direction: "in",
        from,
        to: opts.agentExt ?? opts.line ?? "+74951234567",
        line: opts.line ?? "+74951234567",
        agentExt: opts.agentExt ?? null,
        queue: opts.queue ?? null,
        ...(opts.legId ? { legId: opts.legId } : {}),
      }),
    answered: (sec: number, agentExt: string) => event("call.answered", sec, { agentExt }),
    ended: (sec: number, cause: Extract<CallEvent, { type: "call.ended" }>["cause"]) =>
      event("call.ended", sec, { cause }),
  };
}

export interface StoredCall {
  id: string;
  direction: string | null;
  occurred_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_sec: number | null;
  wait_sec: number | null;
  result: string | null;
  contact_id: string | null;
  company_id: string | null;
  lead_id: string | null;
  owner_id: string;
  source_id: string | null;
  campaign_id: string | null;
  payload: CallPayload;
}

/** The call's interaction row, as stored. */
export async function callRow(t: TestApp, callId: string): Promise<StoredCall> {
  const row = await t.db.knex("interactions").where("call_id", callId).first<StoredCall | undefined>();
  if (!row) {
    throw new Error(`no interaction for ${callId}`);
  }
  return row;
}

/**
 * Sources and the tracking number as the demo seed has them: +7 495 765-43-21 → «Яндекс.Директ» /
 * «Контекст — кухни», and the main line without a source.
 */
export async function seedTracking(t: TestApp): Promise<{ sourceId: string; campaignId: string }> {
  const k = t.db.knex;
  const [source] = await k("sources")
    .insert({ name: "Яндекс.Директ", utm_source: "yandex" })
    .returning<{ id: string }[]>("id");
  const [campaign] = await k("campaigns")
    .insert({ source_id: source!.id, name: "Контекст — кухни", utm_campaign: "kitchens_search" })
    .returning<{ id: string }[]>("id");
  await k("tracking_numbers").insert([
    { phone: "+74951234567", kind: "static", description: "Основной номер" },
    { phone: "+74957654321", kind: "static", source_id: source!.id, campaign_id: campaign!.id },
  ]);
  return { sourceId: source!.id, campaignId: campaign!.id };
}

let counter = 0;
/** A caller's number nobody has: unique per call across test files running at once. */
export function unknownNumber(): string {
  counter += 1;
  const n = (Date.now() % 100_000) * 100 + (counter % 100);
  return `+7903${String(n).padStart(7, "0").slice(-7)}`;
}

export interface CallInbox {
  socket: WebSocket;
  /** The next `call` message; rejects when none comes within `ms`. */
  next(ms?: number): Promise<CallPush>;
  /** Resolves true when no `call` message arrives within `ms`. */
  quiet(ms?: number): Promise<boolean>;
}

/** A real WebSocket to /api/v1/ws that collects `call` messages (every message must be a ServerMessage). */
export async function openInbox(url: string, headers: Record<string, string>): Promise<CallInbox> {
  const socket = new WebSocket(url, { headers });
  const inbox: CallPush[] = [];
  let wake = () => {};
  socket.on("message", (data: Buffer) => {
    const message = ServerMessage.parse(JSON.parse(data.toString("utf8")));
    if (message.type === "call") {
      inbox.push(message.call);
      wake();
    }
  });
  await once(socket, "open");
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  return {
    socket,
    async next(ms = 3000) {
      const deadline = Date.now() + ms;
      while (inbox.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`no call message within ${ms} ms`);
        }
        await wait(left);
      }
      return inbox.shift()!;
    },
    async quiet(ms = 300) {
      if (inbox.length === 0) {
        await wait(ms);
      }
      return inbox.length === 0;
    },
  };
}
