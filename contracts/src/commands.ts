import { z } from "zod";

/*
 * Commands crm-api asks the CTI bridge to carry out on a PBX (POST <bridge>/bridge/commands, bearer
 * CTI_TOKEN). agent-desktop never talks to a PBX API: click-to-call, transfer, hangup, listen and queue
 * membership go desktop → crm-api (roles, audit) → bridge → PBX. The bridge picks the PBX by the
 * callId's prefix ("ast1:…" Asterisk, "mango:…" Mango Office) or, for commands without a call, by `pbx`.
 */

/** A call as the call events name it: "<pbx>:<id>" ("ast1:1795456775.0", "mango:MToxMDE2…"). */
const CallId = z
  .string()
  .min(3)
  .max(200)
  .regex(/^[a-z][a-z0-9_-]*:\S+$/, "must be <pbx>:<id>");
/** An extension ("101") or an E.164 number ("+79161234567"): where a call goes. */
const Destination = z
  .string()
  .regex(/^(?:\+[1-9]\d{6,14}|\d{2,8})$/, "must be an E.164 number or an extension");
const Extension = z.string().regex(/^\d{2,8}$/, "must be an extension (2–8 digits)");
/** A leg of the call: Asterisk channel Uniqueid, Mango call_id. */
const LegId = z.string().min(1).max(200);

export const CtiCommand = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("call.originate"),
    /** The PBX connection ("ast1", "mango"); default: the bridge's only (or first) configured PBX. */
    pbx: z.string().min(1).max(50).optional(),
    /** Click-to-call: this extension rings first; once it answers, the PBX dials `to`. */
    agentExt: Extension,
    to: Destination,
    /** The CRM contact the call is for, passed to the PBX as a channel variable (CRM_CONTACT_ID). */
    contactId: z.uuid().optional(),
  }),
  z.strictObject({
    type: z.literal("call.transfer"),
    callId: CallId,
    /** The transferring agent's leg; default: the leg of the agent on the call now. */
    legId: LegId.optional(),
    to: Destination,
    /** blind: the caller goes to `to` at once; attended: the agent talks to `to` first (complete/cancel). */
    mode: z.enum(["blind", "attended"]),
  }),
  /** Ends an attended transfer by joining the caller with its target (the agent leaves). */
  z.strictObject({ type: z.literal("call.transfer.complete"), callId: CallId, legId: LegId.optional() }),
  /** Abandons an attended transfer: the target is dropped, the agent is back with the caller. */
  z.strictObject({ type: z.literal("call.transfer.cancel"), callId: CallId, legId: LegId.optional() }),
  /** Hangs up one leg, or (without `legId`) the whole call. */
  z.strictObject({ type: z.literal("call.hangup"), callId: CallId, legId: LegId.optional() }),
  z.strictObject({
    type: z.literal("call.supervise"),
    callId: CallId,
    /** The supervisor's phone, rung first; it hears the call once answered. */
    supervisorExt: Extension,
    /** listen: hears both sides; whisper: also speaks to the agent only; barge: speaks to both. */
    mode: z.enum(["listen", "whisper", "barge"]),
  }),
  z.strictObject({
    type: z.literal("agent.queue"),
    pbx: z.string().min(1).max(50).optional(),
    agentExt: Extension,
    /** One queue; default: every queue the agent is a member of (static members: pause/unpause). */
    queue: z.string().min(1).max(100).optional(),
    action: z.enum(["login", "logout", "pause", "unpause"]),
    /** Why the agent pauses (shown in the PBX's queue status). */
    reason: z.string().min(1).max(100).optional(),
  }),
]);
export type CtiCommand = z.infer<typeof CtiCommand>;
export type CtiCommandType = CtiCommand["type"];

/**
 * Why a command failed: not_found = the PBX does not know the call or leg (any more); unsupported = this
 * PBX cannot do it; pbx_error = the PBX refused or did not answer; not_configured = no such PBX here.
 */
export const CtiCommandErrorCode = z.enum(["not_found", "unsupported", "pbx_error", "not_configured"]);
export type CtiCommandErrorCode = z.infer<typeof CtiCommandErrorCode>;

export const CtiCommandResult = z.discriminatedUnion("ok", [
  z.object({
    ok: z.literal(true),
    /** The call the command created (click-to-call), when the PBX tells it at once. */
    callId: z.string().min(1).max(200).optional(),
  }),
  z.object({ ok: z.literal(false), code: CtiCommandErrorCode, message: z.string().max(500) }),
]);
export type CtiCommandResult = z.infer<typeof CtiCommandResult>;

/** The crm-api routes' bodies (POST /api/v1/calls/…). */
export const OriginateRequest = z.strictObject({
  /** The customer's number as people write it; normalised to E.164. An extension dials a colleague. */
  phone: z.string().min(2).max(40),
  contactId: z.uuid().optional(),
});
export type OriginateRequest = z.infer<typeof OriginateRequest>;

export const TransferRequest = z.strictObject({
  /** An extension ("102") or a phone number as people write it. */
  to: z.string().min(2).max(40),
  mode: z.enum(["blind", "attended"]).default("blind"),
});
export type TransferRequest = z.infer<typeof TransferRequest>;

export const SuperviseRequest = z.strictObject({ mode: z.enum(["listen", "whisper", "barge"]) });
export type SuperviseRequest = z.infer<typeof SuperviseRequest>;

/** What the calls routes answer: the command went through; `callId` of a new call when known. */
export const CallCommandResponse = z.object({ ok: z.literal(true), callId: z.string().optional() });
export type CallCommandResponse = z.infer<typeof CallCommandResponse>;
