import { randomUUID } from "node:crypto";
import { CALL_EVENTS_VERSION } from "@okno/contracts";
import type { CallEvent } from "@okno/contracts";

/** Posts call events to crm-api as cti-bridge does (bearer CTI_TOKEN, versioned batch). */
export async function postCallEvents(
  crmApiUrl: string,
  ctiToken: string,
  events: CallEvent[],
): Promise<void> {
  const response = await fetch(`${crmApiUrl}/api/v1/cti/events`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ctiToken}` },
    body: JSON.stringify({ version: CALL_EVENTS_VERSION, events }),
  });
  if (!response.ok) {
    throw new Error(`POST /cti/events: HTTP ${response.status} ${await response.text()}`);
  }
}

/** `call.ringing` of an inbound call from `from` (E.164) ringing extension `agentExt`. */
export function ringing(callId: string, from: string, agentExt: string): CallEvent {
  return {
    id: randomUUID(),
    callId,
    at: new Date().toISOString(),
    pbx: "e2e",
    type: "call.ringing",
    direction: "in",
    from,
    to: "+74951234567",
    line: "+74951234567",
    agentExt,
  };
}
