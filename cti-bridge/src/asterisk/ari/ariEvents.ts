import { z } from "zod";
import { AriBridge, AriChannel } from "./ariRest.ts";

/*
 * The ARI events the bridge acts on (docs.asterisk.org …/Asterisk_REST_Data_Models), validated at the
 * edge. Field names are ARI's own (snake_case); they never leave this folder. Other event types are
 * passed over as "other": ARI adds types between versions, and the real captures in
 * shared/fixtures/asterisk/*.ari.jsonl hold many we do not need (ChannelVarset, DeviceStateChanged…).
 */

const base = {
  timestamp: z.string(),
  /** The Stasis application the event was sent to. */
  application: z.string(),
  asterisk_id: z.string().optional(),
};
const onChannel = { ...base, channel: AriChannel };

export const AriEvent = z.discriminatedUnion("type", [
  /** A channel entered our application: originated into it, snooped, or reached Stasis() in the dialplan. */
  z.object({
    ...onChannel,
    type: z.literal("StasisStart"),
    args: z.array(z.string()),
    replace_channel: AriChannel.optional(),
  }),
  z.object({ ...onChannel, type: z.literal("StasisEnd") }),
  z.object({ ...onChannel, type: z.literal("ChannelCreated") }),
  z.object({ ...onChannel, type: z.literal("ChannelStateChange") }),
  z.object({
    ...onChannel,
    type: z.literal("ChannelDestroyed"),
    cause: z.number().int(),
    cause_txt: z.string(),
  }),
  z.object({ ...onChannel, type: z.literal("ChannelHangupRequest"), cause: z.number().int().optional() }),
  z.object({ ...onChannel, type: z.literal("ChannelEnteredBridge"), bridge: AriBridge }),
  z.object({ ...onChannel, type: z.literal("ChannelLeftBridge"), bridge: AriBridge }),
  z.object({ ...base, type: z.literal("BridgeDestroyed"), bridge: AriBridge }),
  z.object({
    ...base,
    type: z.literal("Dial"),
    peer: AriChannel,
    caller: AriChannel.optional(),
    dialstatus: z.string(),
  }),
]);
export type AriEvent = z.infer<typeof AriEvent>;

const KNOWN: ReadonlySet<string> = new Set(AriEvent.options.map((option) => option.shape.type.value));

export type ParsedAriEvent =
  | { kind: "event"; event: AriEvent }
  | { kind: "other"; type: string }
  | { kind: "invalid"; type: string; problem: string };

/** One WebSocket message: a known event, another type (ignored), or something that fails its schema. */
export function parseAriEvent(text: string): ParsedAriEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "invalid", type: "?", problem: "not JSON" };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== "string") {
    return { kind: "invalid", type: "?", problem: "no type" };
  }
  if (!KNOWN.has(type)) {
    return { kind: "other", type };
  }
  const parsed = AriEvent.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      kind: "invalid",
      type,
      problem: `${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
    };
  }
  return { kind: "event", event: parsed.data };
}
