import { z } from "zod";
import { Id, Kopecks, Text } from "./common.ts";
import { CallCardContact, CallState } from "./cti.ts";
import { CallDirection, CallEvent } from "./events.ts";
import { Task } from "./tasks.ts";

const Instant = z.iso.datetime({ offset: true });

/**
 * An agent's availability for calls:
 * ```
 *  offline ⇄ available ⇄ paused(reason)
 *               ▲   └──► acw (a call they answered ended) ──► available (wrap-up saved or timeout)
 * ```
 */
export const AgentStateName = z.enum(["available", "paused", "acw", "offline"]);
export type AgentStateName = z.infer<typeof AgentStateName>;

/** Why an agent paused; the desktop shows обед, перерыв, обучение, другое (free text in `note`). */
export const PauseReason = z.enum(["lunch", "break", "training", "other"]);
export type PauseReason = z.infer<typeof PauseReason>;

export const AgentState = z.object({
  userId: Id,
  state: AgentStateName,
  /** Set while paused. */
  reason: PauseReason.nullable(),
  note: z.string().nullable(),
  /** When the agent entered this state. */
  since: Instant,
});
export type AgentState = z.infer<typeof AgentState>;

/** PUT /api/v1/agents/me/state. `acw` is entered only by the system, when a call ends. */
export const AgentStatePut = z
  .strictObject({
    state: z.enum(["available", "paused", "offline"]),
    /** Required for `paused`, refused otherwise. */
    reason: PauseReason.optional(),
    note: z.string().trim().max(200).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.state === "paused" && !v.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "required when pausing" });
    }
    if (v.state !== "paused" && v.reason) {
      ctx.addIssue({ code: "custom", path: ["reason"], message: "only for paused" });
    }
  });
export type AgentStatePut = z.infer<typeof AgentStatePut>;

/**
 * The new state, and what the PBX made of it: `null` when no PBX is connected (or the change needs no
 * PBX command); otherwise whether it applied the queue login/logout/pause/unpause. The state stands
 * either way: an agent may pause for lunch while the PBX is unreachable.
 */
export const AgentStateResult = AgentState.extend({
  pbx: z.object({ applied: z.boolean(), error: z.string().nullable() }).nullable(),
});
export type AgentStateResult = z.infer<typeof AgentStateResult>;

/** `agent.state` on /api/v1/ws: to the agent's own sockets and to the supervisors who see them. */
export const AgentStatePush = AgentState.extend({
  fullName: z.string(),
  extension: z.string().nullable(),
});
export type AgentStatePush = z.infer<typeof AgentStatePush>;

/** A call an agent is on (or being rung by) now, from the live call state. */
export const BoardCall = z.object({
  callId: z.string(),
  interactionId: Id,
  state: CallState,
  direction: CallDirection.nullable(),
  /** The outside number (E.164), or the other extension for an internal call. */
  party: z.string().nullable(),
  startedAt: Instant,
  answeredAt: Instant.nullable(),
});
export type BoardCall = z.infer<typeof BoardCall>;

/** GET /api/v1/agents/board (supervisors: their department subtree; administrators: everyone). */
export const AgentBoardItem = AgentStatePush.extend({
  departmentId: Id,
  calls: z.array(BoardCall),
  /** Since midnight Moscow time: calls this agent answered, and calls that rang them unanswered. */
  answeredToday: z.number().int(),
  missedToday: z.number().int(),
});
export type AgentBoardItem = z.infer<typeof AgentBoardItem>;
export const AgentBoard = z.object({ items: z.array(AgentBoardItem) });

/** One ICE server as RTCPeerConnection takes it. */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

/** GET /api/v1/me/sip: what the softphone registers with (SIP.js UserAgent options). */
export const SipCredentials = z.object({
  /** `wss://pbx.example.ru:8089/ws` */
  wsUri: z.string(),
  domain: z.string(),
  extension: z.string(),
  /** With ephemeral credentials `<unix expiry>:<extension>`; otherwise the extension. */
  authorizationUsername: z.string(),
  password: z.string(),
  displayName: z.string(),
  iceServers: z.array(IceServer),
  /** When ephemeral credentials stop working (fetch new ones before); null for a stored password. */
  expiresAt: Instant.nullable(),
});
export type SipCredentials = z.infer<typeof SipCredentials>;

/** PUT /api/v1/users/:id/sip-secret (administrators): the user's SIP password; null removes it. Never read back. */
export const SipSecretPut = z.strictObject({ secret: z.string().min(8).max(128).nullable() });
export type SipSecretPut = z.infer<typeof SipSecretPut>;

/** POST /api/v1/calls/handover: warm transfer, the colleague's desktop shows the card and the note. */
export const CallHandover = z
  .strictObject({
    toExtension: z
      .string()
      .regex(/^\d{2,8}$/, "extension must be 2 to 8 digits")
      .optional(),
    toUserId: Id.optional(),
    /** The call being handed over; the caller must be on it. */
    callId: z.string().min(1).max(200).optional(),
    /** The client, when there is no call (or to name another contact than the call's). */
    contactId: Id.optional(),
    note: Text(2000),
  })
  .superRefine((v, ctx) => {
    if ((v.toExtension === undefined) === (v.toUserId === undefined)) {
      ctx.addIssue({ code: "custom", path: ["toUserId"], message: "give toExtension or toUserId, not both" });
    }
    if (v.callId === undefined && v.contactId === undefined) {
      ctx.addIssue({ code: "custom", path: ["callId"], message: "give callId or contactId" });
    }
  });
export type CallHandover = z.infer<typeof CallHandover>;

export const CallHandoverResult = z.object({
  toUserId: Id,
  /** The note on the client's timeline; null when the call has no contact or lead to file it under. */
  noteInteractionId: Id.nullable(),
});

/** `call.handover` on /api/v1/ws: a colleague is putting a call through with this card and note. */
export const CallHandoverPush = z.object({
  callId: z.string().nullable(),
  /** The call's timeline entry, when there is a call. */
  interactionId: Id.nullable(),
  from: z.object({ userId: Id, fullName: z.string(), extension: z.string().nullable() }),
  note: z.string(),
  card: z.object({ contact: CallCardContact.nullable() }),
  at: Instant,
});
export type CallHandoverPush = z.infer<typeof CallHandoverPush>;

/** What comes after the call: a task, a callback (with a reminder) or a deal for the call's contact. */
export const WrapUpNext = z.strictObject({
  kind: z.enum(["task", "callback", "deal"]),
  /** Defaults to «Перезвонить …» / «Задача по звонку» / «Сделка по звонку». */
  title: Text(300).optional(),
  /** Required for task and callback. */
  dueAt: Instant.optional(),
  pipelineId: Id.optional(),
  stageId: Id.optional(),
  amount: Kopecks.optional(),
});

/** POST /api/v1/interactions/:id/wrap-up: the agent's outcome of a call, in one transaction. */
export const WrapUp = z.strictObject({
  /** The outcome in a few words («Записан на замер», «Не интересно»). */
  result: Text(200),
  /** The client's real source, when the agent learned it; sets the contact's source. */
  sourceId: Id.optional(),
  /** The agent checked the contact's source (the one the call brought, or `sourceId`). */
  sourceConfirmed: z.boolean().optional(),
  note: z.string().trim().max(10_000).optional(),
  next: WrapUpNext.optional(),
});
export type WrapUp = z.infer<typeof WrapUp>;

export const WrapUpResult = z.object({
  interactionId: Id,
  result: z.string(),
  wrappedUpAt: Instant,
  next: z.object({ kind: z.enum(["task", "callback", "deal"]), id: Id }).nullable(),
  /** The agent's state after the wrap-up (available when it ended their after-call work). */
  agentState: AgentState.nullable(),
});
export type WrapUpResult = z.infer<typeof WrapUpResult>;

/**
 * POST /api/v1/calls/softphone-events: the desktop's softphone reports its own calls when the PBX has
 * no bridge (Kamailio). `pbx` must be "sip" and `callId` start with "sip:"; `agentExt` is the user's.
 */
export const SoftphoneEventBatch = z.strictObject({ events: z.array(CallEvent).min(1).max(50) });
export type SoftphoneEventBatch = z.infer<typeof SoftphoneEventBatch>;

/** `task.reminder` on /api/v1/ws, at the task's reminder time, to its responsible user. */
export const TaskReminderPush = z.object({
  task: Task,
  /** The task's contact (phones first to dial); hidden when outside the user's scope; null when none. */
  contact: z
    .discriminatedUnion("hidden", [
      z.object({ hidden: z.literal(false), id: Id, fullName: z.string(), phones: z.array(z.string()) }),
      z.object({ hidden: z.literal(true), ownerName: z.string() }),
    ])
    .nullable(),
});
export type TaskReminderPush = z.infer<typeof TaskReminderPush>;
