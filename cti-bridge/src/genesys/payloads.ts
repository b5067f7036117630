import { z } from "zod";

/*
 * Genesys Cloud notification payloads, as the Notifications API documents them
 * (developer.genesys.cloud/notificationsalerts/notifications/, "Available topics": the event schema of
 * v2.users.{id}.conversations.calls and v2.routing.queues.{id}.conversations.calls, i.e. the SDKs'
 * ConversationCallEventTopicCallConversation / …CallMediaParticipant). Every field is optional there,
 * so only what the mapping needs is required; unknown fields are dropped.
 */

const Text = z.string().max(500);
const Time = z.iso.datetime({ offset: true });
const Ref = z.object({ id: z.string().max(100) }).nullish();

/** One participant of a call conversation (ConversationCallEventTopicCallMediaParticipant). */
export const Participant = z.object({
  id: z.string().min(1).max(100),
  name: Text.nullish(),
  /** "tel:+74951234567", "sip:…": the participant's address. */
  address: Text.nullish(),
  startTime: Time.nullish(),
  connectedTime: Time.nullish(),
  endTime: Time.nullish(),
  startHoldTime: Time.nullish(),
  /** customer | external | agent | user | acd | ivr | workflow | voicemail … */
  purpose: z.string().max(50).nullish(),
  /** alerting | dialing | contacting | offering | connected | disconnected | terminated | … */
  state: z.string().max(50).nullish(),
  direction: z.string().max(20).nullish(),
  /** endpoint | client | system | transfer | transfer.consult | transfer.forward | error | … */
  disconnectType: z.string().max(50).nullish(),
  held: z.boolean().nullish(),
  user: Ref,
  queue: Ref,
  /** The calling and the dialled number (the DID for an inbound call). */
  ani: Text.nullish(),
  dnis: Text.nullish(),
  consultParticipantId: z.string().max(100).nullish(),
});
export type Participant = z.output<typeof Participant>;

/** The eventBody of a conversation topic: the whole conversation as it is now. */
export const CallConversation = z.object({
  id: z.string().min(1).max(100),
  participants: z.array(Participant).max(100).default([]),
});
export type CallConversation = z.output<typeof CallConversation>;

/**
 * A message on the channel's WebSocket: `{topicName, eventBody, version?, metadata?}`. The channel's own
 * messages: `channel.metadata` (heartbeat "WebSocket Heartbeat" about every 30 s, and "pong"), and
 * `v2.system.socket_closing` (the service will close the socket in about a minute).
 */
export const ChannelMessage = z.object({
  topicName: z.string().min(1).max(300),
  eventBody: z.unknown(),
});
export type ChannelMessage = z.output<typeof ChannelMessage>;

/** POST /api/v2/notifications/channels → the channel to connect to. */
export const ChannelCreated = z.object({
  id: z.string().min(1).max(200),
  connectUri: z.url({ protocol: /^wss?$/ }),
  /** When the channel stops (24 h after creation), ISO 8601; older API versions omit it. */
  expires: Time.nullish(),
});
export type ChannelCreated = z.output<typeof ChannelCreated>;

/** POST https://login.<region>/oauth/token, grant_type=client_credentials. */
export const TokenAnswer = z.object({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  token_type: z.string().optional(),
});
