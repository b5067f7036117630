import { normalizePhone, type CallDirection, type CallEvent, type EndCause } from "@okno/contracts";
import { EVENT_ID_NAMESPACES, uuidV5 } from "../stableId.ts";
import type { CallConversation, Participant } from "./payloads.ts";

/**
 * What the adapter remembers of a conversation between notifications. Genesys sends the whole
 * conversation on every change (and the same change on each topic that covers it: the agent's and the
 * queue's), so events come from comparing a participant with how it was last seen: a repeat changes
 * nothing and emits nothing.
 *
 * ```
 *  agent:  alerting ──► connected ⇄ held ──► disconnected   (disconnectType transfer* = transferred)
 *  acd:    connected (waiting in the queue) ──► disconnected (routed to an agent, or abandoned)
 *  call:   ended once every participant is disconnected or terminated
 * ```
 */
export type ParticipantTrack = {
  isConnected: boolean;
  wasConnected: boolean;
  isHeld: boolean;
  holds: number;
  isEnded: boolean;
};
export type ConversationTrack = { participants: Record<string, ParticipantTrack>; isEnded: boolean };

export type GenesysContext = {
  pbx: string;
  /** Extension of a Genesys user (configured); null for a user we do not know. */
  extOf: (userId: string) => string | null;
  /** Display name of a queue (configured), else its id. */
  queueOf: (queueId: string) => string;
  now: () => string;
};

const ENDED_STATES = new Set(["disconnected", "terminated"]);
const AGENT_PURPOSES = new Set(["agent", "user"]);
const CUSTOMER_PURPOSES = new Set(["customer", "external"]);
const NEW_PARTICIPANT: ParticipantTrack = {
  isConnected: false,
  wasConnected: false,
  isHeld: false,
  holds: 0,
  isEnded: false,
};

type Body = Record<string, unknown> & { type: CallEvent["type"] };

/** "tel:+74951234567" → "+74951234567"; a SIP address or anything else as given (cut to the contract's 64). */
export function partyOfAddress(address: string | null | undefined): string | null {
  if (!address) {
    return null;
  }
  const bare = address.replace(/^tel:/i, "");
  return (normalizePhone(bare) ?? bare).slice(0, 64);
}

/**
 * The CallEvents one conversation notification means against what was seen before, and the new track.
 * Pure: the same (track, conversation) always gives the same result.
 */
export function toCallEvents(
  track: ConversationTrack | undefined,
  conv: CallConversation,
  ctx: GenesysContext,
): { events: CallEvent[]; next: ConversationTrack } {
  const previous = track ?? { participants: {}, isEnded: false };
  const customer = conv.participants.find((p) => CUSTOMER_PURPOSES.has(p.purpose ?? ""));
  const direction: CallDirection = !customer ? "internal" : customer.direction === "outbound" ? "out" : "in";
  const out: { body: Body; legId?: string; key: string; at: string }[] = [];
  const participants: Record<string, ParticipantTrack> = {};
  for (const p of conv.participants) {
    const before = previous.participants[p.id] ?? NEW_PARTICIPANT;
    const after = nextTrack(before, p);
    participants[p.id] = after;
    if (before.isEnded) {
      continue;
    }
    const emit = (body: Body, kind: string, at: string | null | undefined) =>
      out.push({ body, legId: p.id, key: `${p.id}|${kind}`, at: at ?? ctx.now() });
    if (AGENT_PURPOSES.has(p.purpose ?? "")) {
      agentEvents(before, after, p, { conv, customer, direction, ctx, emit });
    } else if (p.purpose === "acd" && before === NEW_PARTICIPANT && !after.isEnded) {
      // The call waits in a queue: announce it before any agent rings (the queue's members see it).
      const queue = p.queue ? ctx.queueOf(p.queue.id) : null;
      emit(
        { type: "call.ringing", direction, ...partiesOf(customer, direction, null), agentExt: null, queue },
        "ringing",
        p.startTime,
      );
    }
  }
  const isEnded =
    conv.participants.length > 0 && conv.participants.every((p) => ENDED_STATES.has(p.state ?? ""));
  if (isEnded && !previous.isEnded) {
    const ended = endOf(conv, customer, direction, participants, ctx);
    out.push({ body: ended.body, key: "call|ended", at: ended.at });
  }
  const events = out.map(({ body, legId, key, at }) => ({
    ...body,
    id: uuidV5(`${conv.id}|${key}`, EVENT_ID_NAMESPACES.genesys),
    callId: `${ctx.pbx}:${conv.id}`,
    ...(legId === undefined ? {} : { legId }),
    at,
    pbx: ctx.pbx,
    raw: `genesys:${conv.id}`,
  })) as CallEvent[];
  return { events, next: { participants, isEnded: previous.isEnded || isEnded } };
}

function nextTrack(before: ParticipantTrack, p: Participant): ParticipantTrack {
  const isConnected = p.state === "connected";
  const isHeld = isConnected && p.held === true;
  return {
    isConnected,
    wasConnected: before.wasConnected || isConnected,
    isHeld,
    holds: before.holds + (isHeld && !before.isHeld ? 1 : 0),
    isEnded: before.isEnded || ENDED_STATES.has(p.state ?? ""),
  };
}

type AgentScope = {
  conv: CallConversation;
  customer: Participant | undefined;
  direction: CallDirection;
  ctx: GenesysContext;
  emit: (body: Body, kind: string, at: string | null | undefined) => void;
};

function agentEvents(before: ParticipantTrack, after: ParticipantTrack, p: Participant, s: AgentScope): void {
  const ext = p.user ? s.ctx.extOf(p.user.id) : null;
  const isNew = before === NEW_PARTICIPANT;
  if (isNew) {
    // First seen: announce the ring even when the first notification already shows it answered.
    const queue = p.queue ? s.ctx.queueOf(p.queue.id) : null;
    const parties = partiesOf(s.customer, s.direction, ext ?? p.user?.id ?? null);
    s.emit(
      { type: "call.ringing", direction: s.direction, ...parties, agentExt: ext, queue },
      "ringing",
      p.startTime,
    );
  }
  if (after.wasConnected && !before.wasConnected) {
    s.emit({ type: "call.answered", agentExt: ext }, "answered", p.connectedTime);
  }
  if (after.isHeld && !before.isHeld) {
    s.emit({ type: "call.held", agentExt: ext }, `held|${after.holds}`, p.startHoldTime);
  }
  if (before.isHeld && !after.isHeld && !after.isEnded) {
    s.emit({ type: "call.resumed", agentExt: ext }, `resumed|${after.holds}`, null);
  }
  if (after.isEnded) {
    const kind = transferKindOf(p.disconnectType);
    if (kind !== null) {
      const target = transferTarget(s.conv, p, s.ctx);
      s.emit({ type: "call.transferred", kind, fromExt: ext, to: target }, "transferred", p.endTime);
    }
    const cause: EndCause = after.wasConnected ? "completed" : "missed";
    s.emit(
      { type: "call.ended", cause, q850: null, vendorCause: p.disconnectType ?? null, agentExt: ext },
      "ended",
      p.endTime,
    );
  }
}

/** transfer / transfer.forward = blind; transfer.consult / transfer.conference = attended (SDK DisconnectTypeEnum). */
function transferKindOf(type: string | null | undefined): "blind" | "attended" | null {
  if (type === "transfer" || type === "transfer.forward") {
    return "blind";
  }
  return type === "transfer.consult" || type === "transfer.conference" ? "attended" : null;
}

/** Whom the call went to: the consulted participant, else the newest agent still on the call. */
function transferTarget(conv: CallConversation, from: Participant, ctx: GenesysContext): string {
  const agents = conv.participants.filter(
    (p) => p.id !== from.id && AGENT_PURPOSES.has(p.purpose ?? "") && !ENDED_STATES.has(p.state ?? ""),
  );
  const consulted = agents.find((p) => p.id === from.consultParticipantId);
  const newest = [...agents].sort((a, b) => (a.startTime ?? "").localeCompare(b.startTime ?? "")).at(-1);
  const target = consulted ?? newest;
  const userId = target?.user?.id;
  return (userId ? (ctx.extOf(userId) ?? userId) : null) ?? partyOfAddress(target?.address) ?? "unknown";
}

function partiesOf(customer: Participant | undefined, direction: CallDirection, agent: string | null) {
  const ani = partyOfAddress(customer?.ani ?? customer?.address);
  const dnis = partyOfAddress(customer?.dnis);
  if (direction === "out") {
    return {
      from: agent ?? "unknown",
      to: partyOfAddress(customer?.address) ?? dnis ?? "unknown",
      line: null,
    };
  }
  return { from: ani ?? "anonymous", to: agent ?? dnis ?? "unknown", line: direction === "in" ? dnis : null };
}

/**
 * The call's end: completed when an agent talked; else abandoned when it waited in a queue, missed
 * otherwise; an outgoing call the network refused (disconnectType error, uncallable…) failed.
 */
function endOf(
  conv: CallConversation,
  customer: Participant | undefined,
  direction: CallDirection,
  tracks: Record<string, ParticipantTrack>,
  ctx: GenesysContext,
): { body: Body; at: string } {
  const agents = conv.participants.filter((p) => AGENT_PURPOSES.has(p.purpose ?? ""));
  const talked = agents.filter((p) => tracks[p.id]?.wasConnected);
  const lastAgent = talked
    .sort((a, b) => (a.connectedTime ?? "").localeCompare(b.connectedTime ?? ""))
    .at(-1);
  const wasQueued = conv.participants.some((p) => p.purpose === "acd");
  const refused = ["error", "uncallable", "transport.failure", "spam"].includes(
    customer?.disconnectType ?? "",
  );
  let cause: EndCause = "missed";
  if (lastAgent) {
    cause = "completed";
  } else if (direction === "out" && refused) {
    cause = "failed";
  } else if (direction === "in" && wasQueued) {
    cause = "abandoned";
  }
  const at =
    conv.participants
      .map((p) => p.endTime ?? "")
      .sort()
      .at(-1) || ctx.now();
  const agentExt = lastAgent?.user ? ctx.extOf(lastAgent.user.id) : null;
  return {
    body: { type: "call.ended", cause, q850: null, vendorCause: customer?.disconnectType ?? null, agentExt },
    at,
  };
}
