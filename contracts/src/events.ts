import { z } from "zod";

/**
 * Version of the call-event stream between cti-bridge and crm-api. Bump on a breaking change; crm-api
 * refuses a batch whose version it does not know, so an old bridge fails loudly instead of silently.
 */
export const CALL_EVENTS_VERSION = 1;

export const CallDirection = z.enum(["in", "out", "internal"]);
export type CallDirection = z.infer<typeof CallDirection>;

/**
 * Why a call (or a leg) ended, normalised from Q.850 causes (Asterisk) and Mango `disconnect_reason`:
 * completed = talked and hung up; missed = rang, nobody answered (inbound, no queue); abandoned = the caller
 * gave up waiting in a queue; busy; failed = could not be set up (unallocated number, congestion, …).
 */
export const EndCause = z.enum(["completed", "missed", "abandoned", "busy", "failed"]);
export type EndCause = z.infer<typeof EndCause>;

/** A party: an E.164 number ("+79161234567") for outside phones, the extension ("101") for our agents. */
export const Party = z.string().min(1).max(64);

const base = {
  /** Idempotency key: the same event delivered twice is applied once. */
  id: z.uuid(),
  /** One call = one id, prefixed by the PBX connection: "ast1:1700000000.12", "mango:MToxMDE2…". */
  callId: z.string().min(1).max(200),
  /** A leg of the call (Asterisk channel Uniqueid, Mango call_id); absent for call-wide events. */
  legId: z.string().min(1).max(200).optional(),
  at: z.iso.datetime({ offset: true }),
  /** The PBX connection that produced the event ("ast1", "mango", "genesys"). */
  pbx: z.string().min(1).max(50),
  /** Reference to the raw vendor event for audit (e.g. "ami:inbound-answered#123"); never the payload. */
  raw: z.string().max(300).optional(),
};

export const CallEvent = z.discriminatedUnion("type", [
  z.object({
    ...base,
    type: z.literal("call.ringing"),
    direction: CallDirection,
    from: Party,
    to: Party,
    /** The company number dialled (main line or a call-tracking number), E.164; inbound only. */
    line: z.string().max(64).nullable().optional(),
    /**
     * The call-tracking tag the PBX itself put on the call, when its dialplan sets one (Asterisk
     * `CRM_SOURCE`, e.g. "adcampaign-1"); a hint beside `line`, which stays the primary attribution key.
     */
    source: z.string().max(100).nullable().optional(),
    /** The extension being rung; absent while the call waits in a queue. */
    agentExt: z.string().max(32).nullable().optional(),
    queue: z.string().max(100).nullable().optional(),
  }),
  z.object({ ...base, type: z.literal("call.answered"), agentExt: z.string().max(32).nullable() }),
  z.object({ ...base, type: z.literal("call.held"), agentExt: z.string().max(32).nullable().optional() }),
  z.object({ ...base, type: z.literal("call.resumed"), agentExt: z.string().max(32).nullable().optional() }),
  z.object({
    ...base,
    type: z.literal("call.transferred"),
    kind: z.enum(["blind", "attended"]),
    /** Who transferred (extension), and to whom (extension or number). */
    fromExt: z.string().max(32).nullable().optional(),
    to: Party,
  }),
  /**
   * Without `legId`: the whole call is over. With `legId`: only that leg ended (an agent's phone stopped
   * ringing, answered elsewhere or unanswered); the call goes on, and its own end comes as a separate
   * `call.ended` without `legId`. `cause` then describes the leg.
   */
  z.object({
    ...base,
    type: z.literal("call.ended"),
    cause: EndCause,
    /** The Q.850 cause code when the PBX gave one. */
    q850: z.number().int().min(0).max(127).nullable().optional(),
    /**
     * The PBX's own cause when it is not Q.850, kept for audit beside the normalised `cause`: Mango
     * `disconnect_reason` ("1110"), Genesys `disconnectType` ("transfer.consult").
     */
    vendorCause: z.string().max(50).nullable().optional(),
    agentExt: z.string().max(32).nullable().optional(),
  }),
  z.object({
    ...base,
    type: z.literal("recording.ready"),
    recordingId: z.string().min(1).max(300),
    /** Where the bridge stored the file (recordings store key) once downloaded. */
    storageKey: z.string().max(500).optional(),
    contentType: z.string().max(100).optional(),
    durationSec: z.number().nonnegative().optional(),
  }),
]);
export type CallEvent = z.infer<typeof CallEvent>;
export type CallEventType = CallEvent["type"];

/** The body of POST /api/v1/cti/events: a batch, in the order the bridge saw the events. */
export const CallEventBatch = z.strictObject({
  version: z.literal(CALL_EVENTS_VERSION),
  events: z.array(CallEvent).min(1).max(1000),
});
export type CallEventBatch = z.infer<typeof CallEventBatch>;

export const CallEventBatchResult = z.object({
  accepted: z.number().int(),
  /** Events already applied earlier (same id): acknowledged, changed nothing. */
  duplicates: z.number().int(),
});
