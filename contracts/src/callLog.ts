import { z } from "zod";
import { Id, PageQuery, page } from "./common.ts";
import { CallDirection, EndCause } from "./events.ts";

const Instant = z.iso.datetime({ offset: true });

/** GET /api/v1/calls: the calls journal, newest first, in the user's interactions scope. */
export const CallLogQuery = PageQuery.extend({
  /** The responsible agent (who answered, or dialled). */
  agentId: Id.optional(),
  /** Started at or after / before these instants. */
  from: Instant.optional(),
  to: Instant.optional(),
  direction: CallDirection.optional(),
  /** How the call ended (completed, missed, abandoned, busy, failed). */
  result: EndCause.optional(),
  sourceId: Id.optional(),
}).strict();
export type CallLogQuery = z.infer<typeof CallLogQuery>;

export const CallLogItem = z.object({
  id: Id,
  callId: z.string().nullable(),
  direction: CallDirection.nullable(),
  /** The outside party in E.164 (caller inbound, callee outbound); null for internal calls. */
  number: z.string().nullable(),
  occurredAt: Instant,
  answeredAt: Instant.nullable(),
  endedAt: Instant.nullable(),
  durationSec: z.number().int().nullable(),
  waitSec: z.number().int().nullable(),
  /** How the call ended; null while it lasts. */
  result: EndCause.nullable(),
  /** The agent's wrap-up outcome, once saved. */
  disposition: z.string().nullable(),
  wrappedUpAt: Instant.nullable(),
  agent: z.object({ id: Id, fullName: z.string(), extension: z.string().nullable() }),
  contact: z.object({ id: Id, fullName: z.string() }).nullable(),
  sourceId: Id.nullable(),
  sourceName: z.string().nullable(),
  campaignName: z.string().nullable(),
  hasRecording: z.boolean(),
});
export type CallLogItem = z.infer<typeof CallLogItem>;
export const CallLogPage = page(CallLogItem);

/** GET /api/v1/calls/missed: inbound calls nobody answered, with whether someone called back. */
export const MissedCallQuery = PageQuery.extend({
  from: Instant.optional(),
  to: Instant.optional(),
  /** pending: nobody has called back yet; done: someone has. */
  status: z.enum(["pending", "done"]).optional(),
}).strict();
export type MissedCallQuery = z.infer<typeof MissedCallQuery>;

export const MissedCall = CallLogItem.extend({
  /**
   * The first call back: a later outbound call to the number (answered or not: someone tried), or the
   * call's callback task marked done. Null while nobody has.
   */
  calledBack: z
    .object({
      via: z.enum(["call", "task"]),
      at: Instant,
      by: z.object({ id: Id, fullName: z.string() }),
      /** Whether the client picked up (for `call`); null for `task`. */
      answered: z.boolean().nullable(),
    })
    .nullable(),
  callbackTaskId: Id.nullable(),
});
export type MissedCall = z.infer<typeof MissedCall>;
export const MissedCallPage = page(MissedCall);
