import type { ImportColumn, ImportEntity, ImportItem, OnDuplicate } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { actorOf } from "../audit/recordAudit.ts";
import { headerScore, resolveColumns } from "./columns.ts";
import {
  NORMALIZERS,
  type CompanyDraft,
  type ContactDraft,
  type Draft,
  type ProductDraft,
} from "./drafts.ts";
import { loadActiveUsers, ownerResolver } from "./owners.ts";
import { planRows, toItem, type ExistingIndex, type PlannedRow, type RowToPlan } from "./plan.ts";
import { FileError, readSheet, type Sheet } from "./readFile.ts";
import {
  createCompanies,
  findExistingCompanies,
  updateCompanies,
  type CompanyCreateItem,
  type CompanyUpdateItem,
} from "./writeCompanies.ts";
import {
  createContacts,
  findExistingContacts,
  updateContacts,
  type ContactCreateItem,
  type ContactUpdateItem,
} from "./writeContacts.ts";
import type { WriteContext } from "./writeContext.ts";
import {
  createProducts,
  findExistingProducts,
  updateProducts,
  type ProductCreateItem,
  type ProductUpdateItem,
} from "./writeProducts.ts";

/** Rows written per transaction: large enough for multi-row inserts to pay, small enough to show progress. */
export const BATCH_SIZE = 500;

/** The request cannot be planned at all; `field` says where the client went wrong ("body", "querystring.mapping"). */
export class ImportInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ImportOptions {
  entity: ImportEntity;
  onDuplicate: OnDuplicate;
  mapping?: Record<string, string> | undefined;
  /** The importing user; records are theirs unless a «Ответственный» column says otherwise. */
  principal: Principal;
}

export interface ImportPlan {
  entity: ImportEntity;
  columns: ImportColumn[];
  rows: PlannedRow[];
}

export interface ImportCounts {
  total: number;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  errors: number;
}

/** Reads the file and decides every row against the database, writing nothing: the whole of a dry run. */
export async function planImport(db: Knex, bytes: Buffer, o: ImportOptions): Promise<ImportPlan> {
  let sheet: Sheet;
  try {
    sheet = await readSheet(bytes, (cells) => headerScore(o.entity, cells));
  } catch (err) {
    throw err instanceof FileError ? new ImportInputError("body", err.message) : err;
  }
  const { columns, problems } = resolveColumns(o.entity, sheet.headers, o.mapping);
  if (problems.length > 0) {
    throw new ImportInputError("querystring.mapping", problems.join("; "));
  }
  const normalize = NORMALIZERS[o.entity];
  const normalized = sheet.rows.map((r) => ({ row: r.row, normalized: normalize(columns, r.cells) }));
  const toPlan = await resolveOwners(db, o, normalized);
  const drafts = toPlan.flatMap((r) => (r.normalized.ok ? [r.normalized.draft] : []));
  const existing = await findExisting(db, o, drafts);
  return { entity: o.entity, columns, rows: planRows(o.entity, toPlan, existing, o.onDuplicate) };
}

async function resolveOwners(
  db: Knex,
  o: ImportOptions,
  rows: Omit<RowToPlan, "ownerId">[],
): Promise<RowToPlan[]> {
  if (o.entity === "products") {
    return rows.map((r) => ({ ...r, ownerId: null }));
  }
  const resolve = ownerResolver(await loadActiveUsers(db), o.principal, o.entity);
  return rows.map((r) => {
    if (!r.normalized.ok) {
      return { ...r, ownerId: null };
    }
    const owner = resolve((r.normalized.draft as ContactDraft | CompanyDraft).owner);
    return "error" in owner
      ? { ...r, ownerId: null, ownerError: owner.error }
      : { ...r, ownerId: owner.ownerId };
  });
}

function findExisting(db: Knex, o: ImportOptions, drafts: Draft[]): Promise<ExistingIndex> {
  switch (o.entity) {
    case "contacts":
      return findExistingContacts(db, o.principal, drafts as ContactDraft[]);
    case "companies":
      return findExistingCompanies(db, o.principal, drafts as CompanyDraft[]);
    case "products":
      return findExistingProducts(db, drafts as ProductDraft[]);
  }
}

/** Every row that was not simply created: what the report lists. */
export function planItems(plan: ImportPlan): ImportItem[] {
  return plan.rows.flatMap((r) => toItem(r) ?? []);
}

export function countOutcomes(rows: PlannedRow[], processed = rows.length): Omit<ImportCounts, "total"> {
  const count = (o: PlannedRow["outcome"]) => rows.filter((r) => r.outcome === o).length;
  return {
    processed,
    created: count("create"),
    updated: count("update"),
    skipped: count("skip"),
    errors: count("error"),
  };
}

/**
 * Writes the plan, BATCH_SIZE rows per transaction, and reports the counts after each committed batch. A
 * failing batch rolls back alone and stops the run: the batches before it stay imported (their rows are
 * in the audit log with the file and row number), so a re-run with `onDuplicate: skip` resumes.
 */
export async function writePlan(
  db: Knex,
  plan: ImportPlan,
  o: ImportOptions & { fileName: string; importId: string | null },
  onProgress: (counts: ImportCounts) => Promise<void> | void = () => {},
): Promise<ImportCounts> {
  const principal: Principal = { ...o.principal, via: "import" };
  const ctx: WriteContext = {
    principal,
    actor: { ...actorOf(o.principal), via: "import" },
    fileName: o.fileName,
    importId: o.importId,
  };
  const total = plan.rows.length;
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const batch = plan.rows.slice(start, start + BATCH_SIZE);
    await db.transaction((trx) => writeBatch(trx, ctx, plan.entity, batch));
    const done = plan.rows.slice(0, start + batch.length);
    await onProgress({ total, ...countOutcomes(done) });
  }
  return { total, ...countOutcomes(plan.rows) };
}

async function writeBatch(
  trx: Knex.Transaction,
  ctx: WriteContext,
  entity: ImportEntity,
  batch: PlannedRow[],
): Promise<void> {
  const ownerOf = (r: { ownerId: string | null }) => r.ownerId ?? ctx.principal.userId;
  const creates = batch.flatMap((r) =>
    r.outcome === "create" ? [{ row: r.row, draft: r.draft, ownerId: ownerOf(r) }] : [],
  );
  const updates = batch.flatMap((r) =>
    r.outcome === "update" ? [{ row: r.row, draft: r.draft, ownerId: ownerOf(r), recordId: r.recordId }] : [],
  );
  switch (entity) {
    case "contacts":
      await runIf(creates as ContactCreateItem[], (items) => createContacts(trx, ctx, items));
      await runIf(updates as ContactUpdateItem[], (items) => updateContacts(trx, ctx, items));
      return;
    case "companies":
      await runIf(creates as CompanyCreateItem[], (items) => createCompanies(trx, ctx, items));
      await runIf(updates as CompanyUpdateItem[], (items) => updateCompanies(trx, ctx, items));
      return;
    case "products":
      await runIf(creates as ProductCreateItem[], (items) => createProducts(trx, ctx, items));
      await runIf(updates as ProductUpdateItem[], (items) => updateProducts(trx, ctx, items));
      return;
  }
}

async function runIf<T>(items: T[], fn: (items: T[]) => Promise<void>): Promise<void> {
  if (items.length > 0) {
    await fn(items);
  }
}
