import type { CallEvent } from "@okno/contracts";
import type { Logger } from "pino";
import { createGenesysApi } from "./api.ts";
import { startNotificationChannel, type ChannelOptions, type ChannelStats } from "./channel.ts";
import { CallConversation } from "./payloads.ts";
import { toCallEvents, type ConversationTrack } from "./toCallEvent.ts";
import { createEmitEvent } from "../emitEvent.ts";

export type GenesysAdapterOptions = {
  /** GENESYS_REGION, the region's domain: "mypurecloud.de", "mypurecloud.com", "mypurecloud.ie"… */
  region: string;
  clientId: string;
  clientSecret: string;
  /** Base URLs, https://login.<region> and https://api.<region> unless given (tests use 127.0.0.1). */
  loginUrl?: string;
  apiUrl?: string;
  /** The agents whose calls the bridge follows, each with the extension crm-api knows them by. */
  users: { id: string; ext: string }[];
  /** The queues whose waiting calls the bridge follows. */
  queues: { id: string; name?: string }[];
  /** The PBX connection id, the prefix of every callId ("genesys" → "genesys:<conversationId>"). */
  pbxId: string;
  onEvent: (event: CallEvent) => void | Promise<void>;
  log: Logger;
  channel?: Pick<ChannelOptions, "heartbeatTimeoutMs" | "renewBeforeMs" | "backoff">;
  /** How long an ended conversation is remembered so late repeats emit nothing (default 10 min). */
  endedTtlMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
};

export type GenesysAdapterStats = ChannelStats & {
  callEvents: number;
  invalidNotifications: number;
  rejectedCallEvents: number;
  activeConversations: number;
};

export type GenesysAdapter = { stop(): Promise<void>; stats(): GenesysAdapterStats };

/** A channel takes at most 1,000 topics (Notifications API limits, telephony.md §3.1). */
const MAX_TOPICS = 1000;

/** Conversation topics for calls of the configured users and queues (Notifications API, available topics). */
export function topicsOf(users: { id: string }[], queues: { id: string }[]): string[] {
  return [
    ...users.map((u) => `v2.users.${u.id}.conversations.calls`),
    ...queues.map((q) => `v2.routing.queues.${q.id}.conversations.calls`),
  ];
}

/**
 * Genesys Cloud into CallEvents: a client-credentials token, one notification channel with the
 * conversation topics of the configured users and queues, each notification diffed against the
 * conversation as last seen (toCallEvent.ts), callId "genesys:<conversationId>".
 */
export function startGenesysAdapter(options: GenesysAdapterOptions): GenesysAdapter {
  const log = options.log.child({ module: "genesys", pbx: options.pbxId });
  const now = options.now ?? Date.now;
  const endedTtlMs = options.endedTtlMs ?? 10 * 60_000;
  const topics = topicsOf(options.users, options.queues);
  if (topics.length === 0 || topics.length > MAX_TOPICS) {
    throw new Error(`genesys needs 1 to ${MAX_TOPICS} users and queues to follow, got ${topics.length}`);
  }
  const exts = new Map(options.users.map((u) => [u.id, u.ext]));
  const queueNames = new Map(options.queues.map((q) => [q.id, q.name ?? q.id]));
  const ctx = {
    pbx: options.pbxId,
    extOf: (userId: string) => exts.get(userId) ?? null,
    queueOf: (queueId: string) => queueNames.get(queueId) ?? queueId,
    now: () => new Date(now()).toISOString(),
  };
  const conversations = new Map<string, { track: ConversationTrack; endedAt: number | null }>();
  const counters = { callEvents: 0, invalidNotifications: 0, rejectedCallEvents: 0 };

  const emit = createEmitEvent(options.onEvent, log, counters);

  function handleNotification(topicName: string, eventBody: unknown): void {
    if (!topicName.endsWith(".conversations.calls")) {
      return;
    }
    const parsed = CallConversation.safeParse(eventBody);
    if (!parsed.success) {
      counters.invalidNotifications += 1;
      log.warn(
        { topicName, fields: parsed.error.issues.map((i) => i.path.join(".")) },
        "genesys notification invalid",
      );
      return;
    }
    const known = conversations.get(parsed.data.id);
    const { events, next } = toCallEvents(known?.track, parsed.data, ctx);
    conversations.set(parsed.data.id, {
      track: next,
      endedAt: known?.endedAt ?? (next.isEnded ? now() : null),
    });
    events.forEach(emit);
    sweep();
  }

  function sweep(): void {
    const at = now();
    for (const [id, { endedAt }] of conversations) {
      if (endedAt !== null && at - endedAt > endedTtlMs) {
        conversations.delete(id);
      }
    }
  }

  const api = createGenesysApi({
    loginUrl: options.loginUrl ?? `https://login.${options.region}`,
    apiUrl: options.apiUrl ?? `https://api.${options.region}`,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    log,
    fetch: options.fetch,
    now,
  });
  const channel = startNotificationChannel({
    ...options.channel,
    api,
    topics,
    log,
    onNotification: handleNotification,
    now,
  });

  return {
    stop: () => channel.stop(),
    stats: () => ({ ...channel.stats(), ...counters, activeConversations: conversations.size }),
  };
}
