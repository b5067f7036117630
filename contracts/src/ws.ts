import { z } from "zod";
import { AgentStatePush, CallHandoverPush, TaskReminderPush } from "./agents.ts";
import { Id } from "./common.ts";
import { CallPush } from "./cti.ts";
import { ScopedEntity } from "./roles.ts";

/** Bumped on any breaking change to ServerMessage; the desktop reloads when it differs from its own. */
export const PROTOCOL_VERSION = 1;

/**
 * Close code of a socket whose session ended (logout, revoked token, user deactivated or changed):
 * reconnect once; a 401 on that upgrade means "log in again". 4000–4999 are for applications (RFC 6455 §7.4.2).
 */
export const WS_CLOSE_SESSION_ENDED = 4001;

export const ChangeAction = z.enum(["created", "updated", "deleted"]);
export type ChangeAction = z.infer<typeof ChangeAction>;

/**
 * Messages crm-api pushes on `/api/v1/ws`. A new message is one new union member; every consumer's
 * `switch (message.type)` is exhaustive.
 */
export const ServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hello"), protocolVersion: z.number().int(), userId: Id }),
  z.object({
    type: z.literal("entity.changed"),
    entity: ScopedEntity,
    id: Id,
    action: ChangeAction,
    /** When the change happened (server time, ISO 8601). */
    at: z.iso.datetime({ offset: true }),
  }),
  z.object({ type: z.literal("pong") }),
  /** An incoming or outgoing call for this user: the card while it rings, then each change of state. */
  z.object({ type: z.literal("call"), call: CallPush }),
  /** An agent's availability changed: to the agent's own sockets and to the supervisors who see them. */
  z.object({ type: z.literal("agent.state"), agent: AgentStatePush }),
  /** A colleague is handing a call (warm transfer) to this user: their note and the client's card. */
  z.object({ type: z.literal("call.handover"), handover: CallHandoverPush }),
  /** A task's reminder time has come (a callback to make): to its responsible user. */
  z.object({ type: z.literal("task.reminder"), reminder: TaskReminderPush }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

/** Messages the desktop may send; anything else closes nothing, it is answered with nothing. */
export const ClientMessage = z.discriminatedUnion("type", [z.object({ type: z.literal("ping") })]);
export type ClientMessage = z.infer<typeof ClientMessage>;
