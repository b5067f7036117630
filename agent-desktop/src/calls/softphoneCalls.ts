import type { Card } from "./card.ts";

/**
 * Calls the desktops report themselves (POST /calls/softphone-events) when no CTI bridge sits between
 * Okno and the PBX: crm-api accepts them only under this connection name and call id prefix
 * (crm-api/src/agents/softphone.ts).
 */
export const SOFTPHONE_PBX = "sip";
export const SOFTPHONE_CALL_PREFIX = "sip:";

/** An X-Okno-Call-Id a colleague's desktop set (its own report), not one from a bridged PBX. */
export function isSoftphoneCallId(callId: string): boolean {
  return callId.startsWith(SOFTPHONE_CALL_PREFIX);
}

export function newSoftphoneCallId(): string {
  return `${SOFTPHONE_CALL_PREFIX}${crypto.randomUUID()}`;
}

/**
 * Whether a CTI bridge reports the call this desktop meant to report as `sipCallId`: its push bound the
 * card to another call id. Then the desktop stays silent, or the timeline would show the call twice.
 */
export function isClaimedByBridge(cards: readonly Card[], sipCallId: string): boolean {
  return cards.some((c) => c.sipCallId === sipCallId && c.callId !== null && c.callId !== sipCallId);
}

/** The call id to hand a colleague in X-Okno-Call-Id, or to file a handover note under. */
export function shareableCallId(card: Card): string | null {
  return card.callId ?? card.sipCallId;
}
