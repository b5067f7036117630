import { z } from "zod";
import { Id, PageQuery, page } from "./common.ts";

/** Every kind of contact with a client that lands on the timeline. */
export const InteractionChannel = z.enum([
  "call",
  "email",
  "sms",
  "chat",
  "messenger",
  "note",
  "meeting",
  "document",
]);
export type InteractionChannel = z.infer<typeof InteractionChannel>;

/** Channels a user may log by hand; calls from the PBX, chats and 1C documents arrive by integration. */
export const ManualChannel = z.enum(["note", "meeting", "email", "sms", "call"]);
export type ManualChannel = z.infer<typeof ManualChannel>;

/** Channels whose entries make no sense without a direction (who called or wrote whom). */
export const DIRECTED_CHANNELS: readonly ManualChannel[] = ["call", "email", "sms"];

export const InteractionDirection = z.enum(["in", "out", "internal"]);
export type InteractionDirection = z.infer<typeof InteractionDirection>;

const Instant = z.iso.datetime({ offset: true });

/**
 * A manual timeline entry. At least one of `contactId`, `companyId`, `dealId`, `leadId` is required;
 * for a contact with a primary company the company is linked too.
 */
export const InteractionCreate = z.strictObject({
  channel: ManualChannel,
  /** Required for calls, e-mails and SMS. */
  direction: InteractionDirection.optional(),
  /** Defaults to now. */
  occurredAt: Instant.optional(),
  endedAt: Instant.optional(),
  /** Defaults to the span from `occurredAt` to `endedAt` when both are given. */
  durationSec: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .optional(),
  /** Outcome in a word or two ("договорились о встрече", "не дозвонились"). */
  result: z.string().trim().max(200).optional(),
  subject: z.string().trim().max(500).optional(),
  /** Required for notes. */
  body: z.string().max(50_000).optional(),
  /** Responsible user; defaults to the author. */
  ownerId: Id.optional(),
  contactId: Id.optional(),
  companyId: Id.optional(),
  dealId: Id.optional(),
  leadId: Id.optional(),
});
export type InteractionCreate = z.infer<typeof InteractionCreate>;
export type InteractionCreateInput = z.input<typeof InteractionCreate>;

export const Interaction = z.object({
  id: Id,
  channel: InteractionChannel,
  direction: InteractionDirection.nullable(),
  occurredAt: Instant,
  endedAt: Instant.nullable(),
  /** For PBX calls the talk time (first answer → end, hold included); null while the call lasts. */
  durationSec: z.number().int().nullable(),
  /** PBX calls: the first answer by anyone; null for a call nobody answered and for manual entries. */
  answeredAt: Instant.nullable(),
  /**
   * PBX calls: how long the caller waited, ring → first answer, or ring → end when nobody answered
   * (how long they held on before giving up); null while an unanswered call still rings.
   */
  waitSec: z.number().int().nullable(),
  /** The advertising source and campaign of a PBX call (its tracking number or website visit). */
  sourceId: Id.nullable(),
  sourceName: z.string().nullable(),
  campaignId: Id.nullable(),
  campaignName: z.string().nullable(),
  /**
   * Whether a person has confirmed the linked contact's source: false for a contact the CTI created
   * from this unknown caller, whose source was taken from the call; null when no contact is linked.
   */
  isSourceConfirmed: z.boolean().nullable(),
  result: z.string().nullable(),
  subject: z.string().nullable(),
  body: z.string().nullable(),
  /** Channel-specific details (recording id, message ids, 1C document reference). */
  payload: z.record(z.string(), z.unknown()),
  contactId: Id.nullable(),
  companyId: Id.nullable(),
  dealId: Id.nullable(),
  leadId: Id.nullable(),
  ownerId: Id,
  ownerName: z.string(),
  /** PBX call id, for calls that came through the CTI bridge. */
  callId: z.string().nullable(),
  createdAt: Instant,
});
export type Interaction = z.infer<typeof Interaction>;

/** A record's timeline, newest first. */
export const TimelineQuery = PageQuery.extend({
  channel: InteractionChannel.optional(),
}).strict();

/** The journal of interactions (calls, e-mails, …) across records, newest first. */
export const InteractionListQuery = PageQuery.extend({
  channel: InteractionChannel.optional(),
  direction: InteractionDirection.optional(),
  ownerId: Id.optional(),
  /** Occurred at or after this instant. */
  from: Instant.optional(),
  /** Occurred before this instant. */
  to: Instant.optional(),
}).strict();
export type InteractionListQuery = z.infer<typeof InteractionListQuery>;

export const InteractionPage = page(Interaction);
