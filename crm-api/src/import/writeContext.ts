import type { Knex } from "knex";
import { diffRecords, type AuditActor } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";

/** Who imports what: the same for every batch of one run. */
export interface WriteContext {
  principal: Principal;
  /** The principal's actor with `via: "import"`. */
  actor: AuditActor;
  fileName: string;
  importId: string | null;
}

/** One record an import created or changed, as the API shows it before and after. */
export interface AuditedChange {
  recordId: string;
  row: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown>;
}

const AUDIT_CHUNK = 500;

/**
 * The audit entries of a batch in multi-row inserts (recordAudit writes one row per call, which is one
 * round trip per record). Same content as recordAudit: field-level before/after, an update that changed
 * nothing is not recorded; `meta` names the file, its row and the import run.
 */
export async function auditImported(
  trx: Knex.Transaction,
  ctx: WriteContext,
  entity: string,
  changes: AuditedChange[],
): Promise<void> {
  const rows = changes.flatMap((c) => {
    const diff = diffRecords(c.before, c.after);
    if (c.before && Object.keys(diff).length === 0) {
      return [];
    }
    return [
      {
        user_id: ctx.actor.userId,
        via: ctx.actor.via,
        ip: ctx.actor.ip,
        entity,
        record_id: c.recordId,
        action: c.before ? "update" : "create",
        changes: JSON.stringify(diff),
        meta: JSON.stringify({ file: ctx.fileName, row: c.row, importId: ctx.importId }),
      },
    ];
  });
  for (let i = 0; i < rows.length; i += AUDIT_CHUNK) {
    await trx("audit_log").insert(rows.slice(i, i + AUDIT_CHUNK));
  }
}

/** Rows for `update … from jsonb_to_recordset(?)`: one statement updates a whole batch. */
export function recordset(rows: Record<string, unknown>[]): string {
  return JSON.stringify(rows);
}

/** whereIn over a long list, split so no statement exceeds PostgreSQL's 65,535 bind parameters. */
export async function inChunks<T, R>(
  items: T[],
  size: number,
  fn: (chunk: T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(...(await fn(items.slice(i, i + size))));
  }
  return out;
}

/** `expr in (…values)` for an SQL expression (knex's whereIn takes only column names). */
export function whereExprIn(q: Knex.QueryBuilder, expr: string, values: string[]): Knex.QueryBuilder {
  return q.whereRaw(`${expr} in (${values.map(() => "?").join(", ")})`, values);
}
