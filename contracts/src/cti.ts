import { z } from "zod";
import { Id } from "./common.ts";
import { CallDirection } from "./events.ts";

const Instant = z.iso.datetime({ offset: true });

/**
 * Where a call is, as the desktop shows it. Monotonic except held ⇄ answered:
 * ```
 *  ringing ──► answered ⇄ held ──► ended
 *     └──────────────────────────────▲
 * ```
 */
export const CallState = z.enum(["ringing", "answered", "held", "ended"]);
export type CallState = z.infer<typeof CallState>;

/** The caller's record as an agent may see it on the incoming-call card. */
export const CallCardContact = z.discriminatedUnion("hidden", [
  z.object({
    hidden: z.literal(false),
    id: Id,
    fullName: z.string(),
    phones: z.array(z.string()),
    ownerId: Id,
    ownerName: z.string(),
    /** False for a contact the CTI created from an unknown number: someone should confirm its source. */
    isSourceConfirmed: z.boolean(),
    sourceName: z.string().nullable(),
    company: z.object({ id: Id, name: z.string() }).nullable(),
    /** Open deals with their stage (newest first, at most 5, only those in the viewer's scope). */
    deals: z.array(
      z.object({
        id: Id,
        title: z.string(),
        amount: z.number().int(),
        stageName: z.string(),
        pipelineName: z.string(),
      }),
    ),
    /** Open tasks by due time (at most 5, only those in the viewer's scope). */
    tasks: z.array(
      z.object({
        id: Id,
        type: z.string(),
        title: z.string(),
        dueAt: Instant.nullable(),
        isOverdue: z.boolean(),
      }),
    ),
    /** The last 5 interactions, newest first (seeing the contact grants its timeline). */
    interactions: z.array(
      z.object({
        id: Id,
        channel: z.string(),
        direction: z.string().nullable(),
        occurredAt: Instant,
        result: z.string().nullable(),
        subject: z.string().nullable(),
        durationSec: z.number().int().nullable(),
      }),
    ),
  }),
  /** The caller is known but outside the agent's scope: who to ask, nothing more. */
  z.object({ hidden: z.literal(true), ownerName: z.string() }),
]);
export type CallCardContact = z.infer<typeof CallCardContact>;

/**
 * One call as pushed to an agent's desktop (`{type: "call", call}` on /api/v1/ws). Sent while the call
 * rings the agent and again each time it moves; the desktop keeps the latest by `callId`.
 */
export const CallPush = z.object({
  callId: z.string(),
  /** The timeline entry of the call (GET /interactions). */
  interactionId: Id,
  state: CallState,
  direction: CallDirection.nullable(),
  /** The outside number (E.164) or, for internal calls, the other extension. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** The company number dialled (main line or a tracking number). */
  line: z.string().nullable(),
  source: z.string().nullable(),
  campaign: z.string().nullable(),
  /** The agent on the call: the one rung while ringing, the one who answered afterwards. */
  agentExt: z.string().nullable(),
  /** The call's first answer as the PBX timed it (the desktop's talk timer starts here); null while ringing. */
  answeredAt: Instant.nullable(),
  /**
   * True while the call rings this user or they are on it; false once another agent answered or the
   * call stopped ringing them: the desktop closes the card.
   */
  isMine: z.boolean(),
  /**
   * The caller's card; present in the first message a user gets for a call and when they answer it,
   * absent in later updates (keep the previous one). `contact: null`: nobody to show (internal call,
   * hidden number).
   */
  card: z.object({ contact: CallCardContact.nullable() }).optional(),
});
export type CallPush = z.infer<typeof CallPush>;

const utm = z.string().trim().max(500).optional();

/**
 * POST /api/v1/calltracking/lease: the website asks for a number to show this visitor. The same
 * `visitorId` gets the same number back (the lease is renewed) while its lease lasts.
 */
export const TrackingLeaseRequest = z.strictObject({
  /** The site's key (admin settings); it names the site, it is not a secret: the route is rate-limited. */
  siteKey: z.string().min(8).max(200),
  visitorId: z.string().trim().min(1).max(200),
  utmSource: utm,
  utmMedium: utm,
  utmCampaign: utm,
  utmContent: utm,
  utmTerm: utm,
  /** Search phrase (Яндекс.Директ `{keyword}`). */
  keyword: utm,
  landingPage: z.string().max(2000).optional(),
});
export type TrackingLeaseRequest = z.infer<typeof TrackingLeaseRequest>;

/** `phone: null`: the pool is exhausted; the site keeps showing its default number. */
export const TrackingLease = z.object({ phone: z.string().nullable(), expiresAt: Instant.nullable() });
export type TrackingLease = z.infer<typeof TrackingLease>;

/** GET/PATCH /api/v1/cti/settings (administrators). */
export const CtiSettings = z.object({
  /** Create a lead («Входящий звонок +7 …») along with the contact for an unknown caller. */
  createLeadForUnknown: z.boolean(),
  /** Responsible user for contacts, calls and callbacks nobody else can take; null = the queue's supervisor or an administrator. */
  defaultOwnerId: Id.nullable(),
  /** Keys websites use for dynamic call tracking; empty = the lease route refuses every request. */
  callTrackingKeys: z.array(z.string().min(16).max(200)).max(50),
  /** How long a visitor keeps a pool number after its last lease request. */
  leaseMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** After-call work: seconds an agent stays in `acw` after an answered call unless they save the wrap-up first; 0 = no acw. */
  acwSeconds: z.number().int().min(0).max(3600),
});
export type CtiSettings = z.infer<typeof CtiSettings>;
export const CtiSettingsUpdate = CtiSettings.partial().strict();
export type CtiSettingsUpdate = z.infer<typeof CtiSettingsUpdate>;

/** A PBX queue: who its calls ring (when the PBX does not name the agent) and who answers for it. */
export const CtiQueue = z.object({
  name: z.string(),
  supervisorId: Id.nullable(),
  memberIds: z.array(Id),
});
export type CtiQueue = z.infer<typeof CtiQueue>;
export const CtiQueuePut = z.strictObject({
  supervisorId: Id.nullable(),
  memberIds: z.array(Id).max(500),
});
export type CtiQueuePut = z.infer<typeof CtiQueuePut>;
