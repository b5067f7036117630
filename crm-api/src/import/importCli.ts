// npm run import -- FILE --entity contacts|companies|products [--dry-run] [--on-duplicate skip|update]
//   [--as LOGIN] [--mapping '{"Клиент":"fullName"}']
// Imports a spreadsheet into the database the server uses (DATA_DIR / DATABASE_URL). On PGlite, when a
// server holds the files (DATA_DIR/server.json names a live process), the file goes through its HTTP API.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ImportQuery, ImportRun, type ImportItem } from "@okno/contracts";
import { migrateLatest, openDb } from "@okno/db";
import pino from "pino";
import { findPrincipalByUserId } from "../auth/repo.ts";
import type { Principal } from "../auth/principal.ts";
import { loadConfig, type Config } from "../config.ts";
import { AppError } from "../errors.ts";
import type { ImportCounts } from "./engine.ts";
import { showProgress } from "./cliProgress.ts";
import { XLSX_TYPE } from "./readFile.ts";
import { readServerFile, type ServerFile } from "./serverFile.ts";
import { startImport } from "./service.ts";

const USAGE = `usage: npm run import -- FILE --entity contacts|companies|products [--dry-run]
         [--on-duplicate skip|update] [--as LOGIN] [--mapping JSON]
exit code: 0 imported, 2 finished but some rows had errors, 1 failed`;

/** Thrown for what the user must fix; printed without a stack. */
class UsageError extends Error {}

function readArgs(argv: string[]): { file: string; query: ImportQuery } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      entity: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      "on-duplicate": { type: "string", default: "skip" },
      as: { type: "string" },
      mapping: { type: "string" },
    },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) {
    throw new UsageError(USAGE);
  }
  const parsed = ImportQuery.safeParse({
    entity: values.entity,
    dryRun: String(values["dry-run"]),
    onDuplicate: values["on-duplicate"],
    mapping: values.mapping,
    fileName: path.basename(file),
    as: values.as,
  });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  --${String(i.path[0] ?? "")}: ${i.message}`);
    throw new UsageError(`${lines.join("\n")}\n${USAGE}`);
  }
  return { file, query: parsed.data };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Uploads through the running server and follows the run by polling GET /imports/:id. */
async function importOverHttp(
  server: ServerFile,
  bytes: Buffer,
  query: ImportQuery,
  onProgress: (c: ImportCounts) => void,
): Promise<ImportRun> {
  if (!server.token) {
    throw new UsageError("the running server's database has no administrator to import as");
  }
  const headers = { authorization: `Bearer ${server.token}` };
  const params = new URLSearchParams({
    entity: query.entity,
    dryRun: String(query.dryRun),
    onDuplicate: query.onDuplicate,
    ...(query.fileName ? { fileName: query.fileName } : {}),
    ...(query.as ? { as: query.as } : {}),
    ...(query.mapping ? { mapping: JSON.stringify(query.mapping) } : {}),
  });
  const type = bytes.subarray(0, 2).toString("latin1") === "PK" ? XLSX_TYPE : "text/csv";
  const res = await fetch(`${server.url}/api/v1/imports?${params.toString()}`, {
    method: "POST",
    headers: { ...headers, "content-type": type },
    body: new Uint8Array(bytes),
  });
  if (res.status !== 201 && res.status !== 202) {
    throw new UsageError(`the server refused the import (${res.status}): ${await res.text()}`);
  }
  let run = ImportRun.parse(await res.json());
  while (run.status === "running" || run.status === "queued") {
    onProgress(run);
    await sleep(300);
    const poll = await fetch(`${server.url}/api/v1/imports/${run.id}`, { headers });
    run = ImportRun.parse(await poll.json());
  }
  onProgress(run);
  return run;
}

/** Opens the database itself: PostgreSQL, or PGlite files no server holds. */
async function importDirectly(
  config: Config,
  bytes: Buffer,
  query: ImportQuery,
  onProgress: (c: ImportCounts) => void,
): Promise<ImportRun> {
  const log = pino({ level: config.logLevel === "info" ? "warn" : config.logLevel }, pino.destination(2));
  const db = await openDb(config.db);
  try {
    await migrateLatest(db.knex);
    const admin = await db
      .knex("users")
      .where({ role_code: "admin", is_active: true })
      .orderBy([{ column: "created_at" }, { column: "id" }])
      .first<{ id: string } | undefined>("id");
    const principal: Principal | null = admin ? await findPrincipalByUserId(db.knex, admin.id) : null;
    if (!principal) {
      throw new UsageError("the database has no active administrator to import as");
    }
    const options = { db: db.knex, log, runInBackground: () => {}, inlineRows: Infinity, onProgress };
    const { run } = await startImport(options, principal, query, bytes);
    return run;
  } finally {
    await db.close();
  }
}

function summary(run: ImportRun): string {
  const n = (v: number) => v.toLocaleString("ru-RU");
  const lines = [
    `${run.entity} from ${run.fileName}: ${n(run.created)} created, ${n(run.updated)} updated, ` +
      `${n(run.skipped)} skipped, ${n(run.errors)} with errors (${n(run.total)} rows)` +
      (run.dryRun ? ". Dry run: nothing was written." : ""),
  ];
  const errors = run.items.filter((i: ImportItem) => i.outcome === "error").slice(0, 10);
  if (errors.length > 0) {
    lines.push("first errors:", ...errors.map((e) => `  row ${e.row}: ${e.reason}`));
  }
  if (run.status === "failed") {
    lines.push(`the import failed: ${run.failure ?? "unknown error"}`);
  }
  lines.push(`full report: GET /api/v1/imports/${run.id}`);
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { file, query } = readArgs(process.argv.slice(2));
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const config = loadConfig();
  const server = config.db.databaseUrl ? null : readServerFile(config.dataDir);
  const progress = showProgress(`${query.dryRun ? "checking" : "importing"} ${query.entity}`);
  let run: ImportRun;
  try {
    run = server
      ? await importOverHttp(server, bytes, query, progress.update)
      : await importDirectly(config, bytes, query, progress.update);
  } finally {
    progress.stop();
  }
  process.stdout.write(`${summary(run)}\n`);
  process.exitCode = run.status === "failed" ? 1 : run.errors > 0 ? 2 : 0;
}

/** What to tell the user: their mistakes plainly (with the fields an API error names), bugs with a stack. */
function describeError(err: unknown): string {
  if (err instanceof UsageError) {
    return err.message;
  }
  if (err instanceof AppError) {
    return [err.message, ...Object.entries(err.fields ?? {}).map(([f, m]) => `  ${f}: ${m}`)].join("\n");
  }
  return err instanceof Error ? (err.stack ?? err.message) : String(err);
}

main().catch((err: unknown) => {
  const message = describeError(err);
  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
