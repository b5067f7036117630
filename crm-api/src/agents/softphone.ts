import type { CallEvent, CallEventBatchResult } from "@okno/contracts";
import type { Knex } from "knex";
import type { z } from "zod";
import type { Principal } from "../auth/principal.ts";
import type { Call } from "../cti/callState.ts";
import { findCallRows } from "../cti/repo.ts";
import { applyBatch } from "../cti/batch.ts";
import { badRequest, conflict, forbidden } from "../errors.ts";

/** The connection name of calls a softphone reports itself (no bridge between Okno and the PBX). */
export const SOFTPHONE_PBX = "sip";
export const SOFTPHONE_CALL_PREFIX = "sip:";

/** Which field of an event names the reporting agent, if any. */
function agentField(e: CallEvent): "agentExt" | "fromExt" | null {
  if (e.type === "recording.ready") {
    return null;
  }
  return e.type === "call.transferred" ? "fromExt" : "agentExt";
}

/** Rules beyond the schema, as `fields` for a 400: a desktop reports only its own phone's calls. */
function problemsOf(events: readonly CallEvent[], ext: string): Record<string, string> {
  const fields: Record<string, string> = {};
  events.forEach((e, i) => {
    const at = `body.events.${i}`;
    if (e.pbx !== SOFTPHONE_PBX) {
      fields[`${at}.pbx`] = `must be "${SOFTPHONE_PBX}"`;
    }
    if (!e.callId.startsWith(SOFTPHONE_CALL_PREFIX)) {
      fields[`${at}.callId`] = `must start with "${SOFTPHONE_CALL_PREFIX}"`;
    }
    const field = agentField(e);
    const named = field ? (e as Record<string, unknown>)[field] : undefined;
    if (field && named !== undefined && named !== null && named !== ext) {
      fields[`${at}.${field}`] = `must be your extension (${ext})`;
    }
    if (e.type === "call.ringing") {
      const mine =
        e.direction === "in" ? true : e.direction === "out" ? e.from === ext : e.from === ext || e.to === ext;
      if (!mine) {
        fields[`${at}.from`] = `an outgoing call must come from your extension (${ext})`;
      }
    }
  });
  return fields;
}

/** The event with the reporting agent's extension filled in where the event names an agent. */
function withAgent(e: CallEvent, ext: string): CallEvent {
  const field = agentField(e);
  return field ? { ...e, [field]: ext } : e;
}

/** Who may report the call: agents on it, and the colleague it was transferred to (warm transfer). */
function extsOf(call: Call): Set<string> {
  return new Set(
    [
      ...call.rang.map((r) => r.ext),
      ...call.transfers.map((t) => t.to),
      call.firstAnswer?.ext,
      call.lastAnswer?.ext,
      ...Object.values(call.legs).map((l) => l.agentExt),
      ...(call.direction === "internal" ? [call.from, call.to] : []),
    ].filter((x): x is string => typeof x === "string"),
  );
}

/**
 * The desktop's softphone reports its own calls (for a PBX without a bridge, e.g. Kamailio). They go
 * through the same path as the bridge's events (identification, interactions, pushes), but a user may
 * only report calls of their own extension, and may not touch a call another agent reported alone.
 */
export async function applySoftphoneEvents(
  db: Knex,
  p: Principal,
  events: readonly CallEvent[],
): Promise<z.infer<typeof CallEventBatchResult>> {
  const ext = p.extension;
  if (!ext) {
    throw conflict("you have no extension: calls cannot be reported for you");
  }
  const fields = problemsOf(events, ext);
  if (Object.keys(fields).length > 0) {
    throw badRequest(Object.values(fields)[0]!, fields);
  }
  const rows = await findCallRows(db, [...new Set(events.map((e) => e.callId))]);
  for (const row of rows.values()) {
    if (!extsOf(row.payload.call).has(ext)) {
      throw forbidden("this call belongs to another agent");
    }
  }
  return applyBatch(
    db,
    events.map((e) => withAgent(e, ext)),
  );
}
