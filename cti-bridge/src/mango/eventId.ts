import { EVENT_ID_NAMESPACES, uuidV5 } from "../stableId.ts";

/** The id of a Mango-derived event: (entry_id, call_id, seq, kind) names it. */
export function mangoEventId(entryId: string, callId: string, seq: number | string, kind: string): string {
  return uuidV5(`${entryId}|${callId}|${seq}|${kind}`, EVENT_ID_NAMESPACES.mango);
}
