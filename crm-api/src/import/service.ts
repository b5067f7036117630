import type { ImportEntity, ImportQuery, ImportRun } from "@okno/contracts";
import type { FastifyBaseLogger } from "fastify";
import type { Knex } from "knex";
import { scopeOf } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { findPrincipalByUserId } from "../auth/repo.ts";
import { badRequest, forbidden, notFound } from "../errors.ts";
import {
  countOutcomes,
  ImportInputError,
  planImport,
  planItems,
  writePlan,
  type ImportCounts,
  type ImportPlan,
} from "./engine.ts";
import { capItems } from "./plan.ts";
import {
  failStaleRun,
  findImportRow,
  finishImportRun,
  insertImportRun,
  recordProgress,
  toImportRun,
} from "./repo.ts";

/** Files up to this many rows are written while the request waits; larger ones in the background. */
export const INLINE_ROWS = 2000;
/** Row-level items a run's report keeps. */
export const REPORT_ITEMS = 1000;
const STALE_MINUTES = 10;

export interface StartOptions {
  db: Knex;
  log: FastifyBaseLogger;
  /** Runs a long import after the response; the caller keeps track of it (to wait for it on shutdown). */
  runInBackground: (task: () => Promise<void>) => void;
  inlineRows?: number;
  onProgress?: (counts: ImportCounts) => void;
}

/** Products are the administrators' catalogue; contacts and companies need a scope for the entity. */
function assertMayImport(p: Principal, entity: ImportEntity): void {
  if (entity === "products" ? !p.permissions.canAdminister : scopeOf(p, entity) === "none") {
    throw forbidden(`you may not import ${entity}`);
  }
}

/** The user an import works for: the caller, or (administrators only) the user named by `as`. */
async function actingPrincipal(db: Knex, p: Principal, login: string | undefined): Promise<Principal> {
  if (!login || login.toLowerCase() === p.login.toLowerCase()) {
    return p;
  }
  if (!p.permissions.canAdminister) {
    throw forbidden("only administrators import on behalf of another user");
  }
  const user = await db("users")
    .whereRaw("lower(login) = lower(?)", [login])
    .where("is_active", true)
    .first<{ id: string } | undefined>("id");
  const principal = user ? await findPrincipalByUserId(db, user.id) : null;
  if (!principal) {
    throw badRequest(`no active user ${login}`, { "querystring.as": "no active user with this login" });
  }
  return { ...principal, ip: p.ip };
}

async function plan(db: Knex, bytes: Buffer, p: Principal, q: ImportQuery): Promise<ImportPlan> {
  try {
    return await planImport(db, bytes, {
      entity: q.entity,
      onDuplicate: q.onDuplicate,
      mapping: q.mapping,
      principal: p,
    });
  } catch (err) {
    throw err instanceof ImportInputError ? badRequest(err.message, { [err.field]: err.message }) : err;
  }
}

/**
 * Plans the file at once (an unreadable file or a bad mapping is a 400 before anything is stored), records
 * the run with its report, then writes it: inline for small files, in the background for large ones.
 * A dry run is finished when planned. Resolves with the run as it stands and whether it is finished.
 */
export async function startImport(
  o: StartOptions,
  caller: Principal,
  q: ImportQuery,
  bytes: Buffer,
): Promise<{ run: ImportRun; finished: boolean }> {
  const p = await actingPrincipal(o.db, caller, q.as);
  assertMayImport(p, q.entity);
  const planned = await plan(o.db, bytes, p, q);
  const { items, truncated } = capItems(planItems(planned), REPORT_ITEMS);
  const fileName =
    q.fileName ?? `import.${bytes.subarray(0, 2).toString("latin1") === "PK" ? "xlsx" : "csv"}`;
  const id = await insertImportRun(o.db, {
    entity: q.entity,
    fileName,
    dryRun: q.dryRun,
    onDuplicate: q.onDuplicate,
    userId: p.userId,
    total: planned.rows.length,
    report: { columns: planned.columns, items, itemsTruncated: truncated },
  });
  if (q.dryRun) {
    await finishImportRun(o.db, id, { status: "done", counts: countOutcomes(planned.rows) });
    o.onProgress?.({ total: planned.rows.length, ...countOutcomes(planned.rows) });
    return { run: toImportRun((await findImportRow(o.db, id))!), finished: true };
  }
  const write = async () => {
    try {
      const counts = await writePlan(
        o.db,
        planned,
        { ...q, principal: p, fileName, importId: id },
        async (c) => {
          o.onProgress?.(c);
          await recordProgress(o.db, id, c);
        },
      );
      await finishImportRun(o.db, id, { status: "done", counts });
    } catch (err) {
      o.log.error({ err, importId: id }, "import failed");
      const failure = err instanceof Error ? err.message.slice(0, 500) : "unknown error";
      await finishImportRun(o.db, id, { status: "failed", failure });
    }
  };
  const inline = planned.rows.length <= (o.inlineRows ?? INLINE_ROWS);
  if (inline) {
    await write();
  } else {
    o.runInBackground(write);
  }
  return { run: toImportRun((await findImportRow(o.db, id))!), finished: inline };
}

/** A run as its owner (or an administrator) sees it; anyone else gets 404, as if it did not exist. */
export async function getImportRun(db: Knex, p: Principal, id: string): Promise<ImportRun> {
  let row = await findImportRow(db, id);
  if (!row || (row.user_id !== p.userId && !p.permissions.canAdminister)) {
    throw notFound("import");
  }
  if (row.status === "running" || row.status === "queued") {
    await failStaleRun(db, id, STALE_MINUTES);
    row = (await findImportRow(db, id))!;
  }
  return toImportRun(row);
}
