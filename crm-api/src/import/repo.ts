import type { ImportColumn, ImportItem, ImportRun } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";
import type { ImportCounts } from "./engine.ts";

export interface ImportRow {
  id: string;
  entity: ImportRun["entity"];
  file_name: string;
  dry_run: boolean;
  on_duplicate: ImportRun["onDuplicate"];
  status: ImportRun["status"];
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
  report: { columns?: ImportColumn[]; items?: ImportItem[]; itemsTruncated?: boolean };
  failure: string | null;
  user_id: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

export function toImportRun(row: ImportRow): ImportRun {
  return {
    id: row.id,
    entity: row.entity,
    fileName: row.file_name,
    dryRun: row.dry_run,
    onDuplicate: row.on_duplicate,
    status: row.status,
    total: row.total,
    processed: row.processed,
    created: row.created,
    updated: row.updated,
    skipped: row.skipped,
    errors: row.errors,
    columns: row.report.columns ?? [],
    items: row.report.items ?? [],
    itemsTruncated: row.report.itemsTruncated ?? false,
    failure: row.failure,
    userId: row.user_id,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    finishedAt: row.finished_at ? iso(row.finished_at) : null,
  };
}

export async function insertImportRun(
  db: Knex,
  run: {
    entity: ImportRun["entity"];
    fileName: string;
    dryRun: boolean;
    onDuplicate: ImportRun["onDuplicate"];
    userId: string;
    total: number;
    report: ImportRow["report"];
  },
): Promise<string> {
  const [row] = await db("imports")
    .insert({
      entity: run.entity,
      file_name: run.fileName,
      dry_run: run.dryRun,
      on_duplicate: run.onDuplicate,
      status: "running",
      total: run.total,
      report: JSON.stringify(run.report),
      user_id: run.userId,
    })
    .returning<{ id: string }[]>("id");
  return row!.id;
}

const countColumns = (c: Omit<ImportCounts, "total">) => ({
  processed: c.processed,
  created: c.created,
  updated: c.updated,
  skipped: c.skipped,
  errors: c.errors,
});

export async function recordProgress(db: Knex, id: string, counts: ImportCounts): Promise<void> {
  await db("imports")
    .where("id", id)
    .update({ ...countColumns(counts), updated_at: db.fn.now() });
}

export async function finishImportRun(
  db: Knex,
  id: string,
  outcome: { status: "done" | "failed"; counts?: Omit<ImportCounts, "total">; failure?: string },
): Promise<void> {
  await db("imports")
    .where("id", id)
    .update({
      ...(outcome.counts ? countColumns(outcome.counts) : {}),
      status: outcome.status,
      failure: outcome.failure ?? null,
      updated_at: db.fn.now(),
      finished_at: db.fn.now(),
    });
}

export function findImportRow(db: Knex, id: string): Promise<ImportRow | undefined> {
  return db("imports").where("id", id).first<ImportRow | undefined>();
}

/**
 * A run still "running" whose row has not been touched for `staleMinutes` died with its process (a batch
 * takes seconds): it is marked failed, so nobody waits for it forever.
 */
export async function failStaleRun(db: Knex, id: string, staleMinutes: number): Promise<void> {
  await db("imports")
    .where("id", id)
    .whereIn("status", ["queued", "running"])
    .where("updated_at", "<", db.raw(`now() - interval '${staleMinutes} minutes'`))
    .update({
      status: "failed",
      failure: "the import stopped: the server was restarted while it ran",
      finished_at: db.fn.now(),
    });
}
