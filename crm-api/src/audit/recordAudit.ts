import type { AuditAction, AuditVia } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";

export type { AuditAction, AuditVia };

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

type Shape = Record<string, unknown> | null | undefined;

/** Custom field values are one `fields` object in the API; each is its own line in the audit ("fields.inn"). */
function flattenCustomFields(record: Shape): Shape {
  const fields = record?.fields;
  if (!record || !fields || typeof fields !== "object" || Array.isArray(fields)) {
    return record;
  }
  const flat: Record<string, unknown> = { ...record };
  delete flat.fields;
  for (const [key, value] of Object.entries(fields as Record<string, unknown>)) {
    flat[`fields.${key}`] = value;
  }
  return flat;
}

/** Field-level differences between two API shapes: { field: { before, after } }. */
export function diffRecords(
  beforeShape: Shape,
  afterShape: Shape,
): Record<string, { before: unknown; after: unknown }> {
  const before = flattenCustomFields(beforeShape);
  const after = flattenCustomFields(afterShape);
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

/**
 * Records one create (no `before`), delete (no `after`) or update of a record as the API shows it, by
 * the principal of the request. Call it inside the transaction of the change.
 */
export async function auditChange(
  trx: Knex.Transaction,
  p: Principal,
  entity: string,
  before: ({ id: string } & Record<string, unknown>) | null,
  after: ({ id: string } & Record<string, unknown>) | null,
  meta?: Record<string, unknown>,
): Promise<void> {
  const record = after ?? before;
  if (!record) {
    return;
  }
  const action = !before ? "create" : !after ? "delete" : "update";
  await recordAudit(trx, actorOf(p), { entity, recordId: record.id, action, before, after, meta });
}
