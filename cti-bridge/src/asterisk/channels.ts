import { normalizePhone } from "@okno/contracts";

/**
 * agent: one of our people's phones (its extension is the call's `agentExt`);
 * trunk: the outside world (PSTN provider, another PBX);
 * local: Asterisk's own plumbing (Local/ pairs for transfers and queues, Snoop, Announcer…).
 */
export type ChannelKind = "agent" | "trunk" | "local";

/**
 * Default agent endpoints: PJSIP/101 and the softphones' PJSIP/webrtc-201 (webrtc-inbound capture).
 * The first capture group is the extension. Anything else that is not Asterisk plumbing is a trunk.
 */
export const DEFAULT_AGENT_PATTERN = /^(?:PJSIP|SIP|IAX2)\/(?:webrtc-)?(\d{2,6})$/;

const PLUMBING = /^(?:Local|Snoop|Announcer|CBAnn|CBRec|Recorder|Message|Multicast|UnicastRTP|AudioSocket)\//;

/**
 * The endpoint behind a channel name: "PJSIP/101-00000001" → "PJSIP/101",
 * "Local/102@agents-00000000;1" → "Local/102@agents" (Asterisk appends "-<hex sequence>[;1|;2]").
 */
export function endpointOf(channelName: string): string {
  return channelName.replace(/-[0-9a-f]+(?:;[12])?$/, "");
}

export function classifyChannel(
  channelName: string,
  agentPattern: RegExp,
): { kind: ChannelKind; ext: string | null } {
  const endpoint = endpointOf(channelName);
  const match = agentPattern.exec(endpoint);
  if (match) {
    return { kind: "agent", ext: match[1] ?? endpoint.slice(endpoint.indexOf("/") + 1) };
  }
  return { kind: PLUMBING.test(channelName) ? "local" : "trunk", ext: null };
}

/** "Local/102@agents-00000000;1" → "102": where a Local channel leads. */
export function localExtenOf(channelName: string): string | null {
  return /^Local\/([^@]+)@/.exec(channelName)?.[1] ?? null;
}

/** Caller ID values Asterisk uses for "nothing" (Newchannel ConnectedLineNum: <unknown>). */
function isBlankNumber(raw: string): boolean {
  return raw === "" || raw === "<unknown>" || /^(?:anonymous|unknown|restricted|private)$/i.test(raw);
}

/**
 * A party as the contract wants it: E.164 for outside numbers ("89161234567" → "+79161234567"),
 * the extension for short numbers ("103"), "anonymous" for a withheld number; anything else unchanged.
 */
export function toParty(raw: string): string {
  const value = raw.trim();
  if (isBlankNumber(value)) {
    return "anonymous";
  }
  if (/^\d{1,6}$/.test(value)) {
    return value;
  }
  return normalizePhone(value) ?? value;
}

/** A dialled company number (the DID) from an extension or a variable; null for "s" and other names. */
export function toLine(raw: string): string | null {
  const value = raw.trim();
  if (!/^\+?\d{5,15}$/.test(value)) {
    return null;
  }
  return normalizePhone(value) ?? value;
}

/** The number a dial string dials: "89161234567@trunk" → "89161234567", "PJSIP/103" → "103". */
export function numberOfDialString(dialString: string): string {
  return dialString.replace(/^[^/]*\//, "").replace(/@.*$/, "");
}

/** A Q.850 cause header ("16", "0", "") as a number; 0 means "unknown" in Asterisk, so it is null. */
export function q850Of(cause: string): number | null {
  const code = Number.parseInt(cause, 10);
  return Number.isInteger(code) && code > 0 && code <= 127 ? code : null;
}
