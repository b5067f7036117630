import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";

export type AuditVia = "ui" | "api" | "import" | "cti" | "system";
export type AuditAction = "create" | "update" | "delete" | "merge" | "view";

/** Who acts and from where; derived from the principal of the request (or set by import, CTI, jobs). */
export interface AuditActor {
  userId: string | null;
  via: AuditVia;
  ip: string | null;
}

export function actorOf(p: Principal): AuditActor {
  return { userId: p.userId, via: p.via === "session" ? "ui" : p.via, ip: p.ip ?? null };
}

export interface AuditEntry {
  entity: string;
  recordId: string;
  action: AuditAction;
  /** The record as the API shows it before and after; only fields that differ are kept. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  meta?: Record<string, unknown>;
}

// Bookkeeping fields change on every write and say nothing a reader needs.
const IGNORED = new Set(["updatedAt", "createdAt", "id"]);

/** Field-level differences between two API shapes: { field: { before, after } }. */
export function diffRecords(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    if (IGNORED.has(key)) {
      continue;
    }
    const b = before?.[key] ?? null;
    const a = after?.[key] ?? null;
    if (JSON.stringify(b) !== JSON.stringify(a)) {
      changes[key] = { before: b, after: a };
    }
  }
  return changes;
}

/**
 * Writes one audit row. Call it with the transaction that makes the change, so the change and its record
 * commit or vanish together. An update that changes nothing is not recorded.
 */
export async function recordAudit(
  db: Knex | Knex.Transaction,
  actor: AuditActor,
  entry: AuditEntry,
): Promise<void> {
  const changes = diffRecords(entry.before, entry.after);
  if (entry.action === "update" && Object.keys(changes).length === 0) {
    return;
  }
  await db("audit_log").insert({
    user_id: actor.userId,
    via: actor.via,
    ip: actor.ip,
    entity: entry.entity,
    record_id: entry.recordId,
    action: entry.action,
    changes: JSON.stringify(changes),
    meta: JSON.stringify(entry.meta ?? {}),
  });
}
