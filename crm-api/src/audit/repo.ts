import type { AuditAction, AuditItem, AuditListQuery, AuditVia } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import { pageBy, type SortKey } from "../listing.ts";

export interface AuditRow {
  /** bigint, read as text: audit ids outgrow 2^53 long before anything else does. */
  id: string;
  at: Date;
  user_id: string | null;
  user_name: string | null;
  via: AuditVia;
  ip: string | null;
  entity: string;
  record_id: string;
  action: AuditAction;
  changes: AuditItem["changes"];
  meta: AuditItem["meta"];
}

export type AuditFilters = Omit<AuditListQuery, "limit" | "cursor">;

// Newest first; the id breaks ties between rows written in the same millisecond (one transaction).
const newestFirst: SortKey<AuditRow> = { expr: "a.at", desc: true, value: (r) => iso(r.at) };

function selectAudit(db: Knex): Knex.QueryBuilder {
  return db("audit_log as a")
    .leftJoin("users as u", "u.id", "a.user_id")
    .select(
      db.raw("a.id::text as id"),
      "a.at",
      "a.user_id",
      "u.full_name as user_name",
      "a.via",
      "a.ip",
      "a.entity",
      "a.record_id",
      "a.action",
      "a.changes",
      "a.meta",
    );
}

function whereAuditFilters(q: Knex.QueryBuilder, f: AuditFilters): Knex.QueryBuilder {
  const equal = { entity: f.entity, record_id: f.recordId, user_id: f.userId, via: f.via, action: f.action };
  for (const [column, value] of Object.entries(equal)) {
    if (value !== undefined) {
      q.where(`a.${column}`, value);
    }
  }
  if (f.from) {
    q.where("a.at", ">=", f.from);
  }
  if (f.to) {
    q.where("a.at", "<", f.to);
  }
  return q;
}

/** One page of audit rows matching the filters, newest first (keyset over (at, id)). */
export function pageAudit(
  db: Knex,
  f: AuditFilters,
  limit: number,
  cursor: string | undefined,
): Promise<{ rows: AuditRow[]; nextCursor: string | null }> {
  return pageBy<AuditRow>(whereAuditFilters(selectAudit(db), f), "a.id", newestFirst, limit, cursor);
}

/** The client address is personal data about the user who acted: administrators only. */
export function toAuditItem(row: AuditRow, withIp: boolean): AuditItem {
  return {
    id: row.id,
    at: iso(row.at),
    userId: row.user_id,
    userName: row.user_name,
    via: row.via,
    ip: withIp ? row.ip : null,
    entity: row.entity,
    recordId: row.record_id,
    action: row.action,
    changes: row.changes,
    meta: row.meta,
  };
}
