// npm run bench:import [-- --db pglite|postgres|both --rows 11000]
// The Excel import of a customer list (crm-api/src/import/): a generated 11,000-row XLSX with 5% duplicates
// and 2% broken rows, read, planned and written by the import engine into a fresh database, next to its
// floor: the same normalised contacts, phones and e-mails written by bare multi-row INSERTs.
import os from "node:os";
import { parseArgs } from "node:util";
import { ensureRoles, migrateLatest, openDb, type Db } from "@okno/db";
import pg from "pg";
import { findPrincipalByUserId } from "../crm-api/src/auth/repo.ts";
import type { ContactDraft } from "../crm-api/src/import/drafts.ts";
import { BATCH_SIZE, planImport, writePlan, type ImportPlan } from "../crm-api/src/import/engine.ts";
import {
  buildSampleContacts,
  sampleXlsx,
  type SampleContacts,
} from "../crm-api/src/import/sampleContacts.ts";
import { fmtInt, note, progress } from "./progress.ts";

const TARGET_SECONDS = 10;
const DB_NAME = "okno_bench_import";

interface Measured {
  db: "pglite" | "postgres";
  rows: number;
  readAndPlan: number;
  write: number;
  baseline: number;
  created: number;
  serverVersion: string;
}

/** A fresh database per run: PGlite in memory, or okno_bench_import dropped and created again. */
async function freshDb(kind: "pglite" | "postgres", url: string): Promise<Db> {
  if (kind === "pglite") {
    return openDb({});
  }
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${DB_NAME} with (force)`);
    await client.query(`create database ${DB_NAME}`);
  } finally {
    await client.end();
  }
  const target = new URL(url);
  target.pathname = `/${DB_NAME}`;
  return openDb({ databaseUrl: target.toString() });
}

/** The importing administrator, and the stored contacts that 2.5% of the file's rows repeat. */
async function seedOrg(db: Db, sample: SampleContacts): Promise<string> {
  const k = db.knex;
  await ensureRoles(k);
  const id = crypto.randomUUID();
  await k("departments").insert({ id, name: "ООО «Бенч»", path: `/${id}/` });
  const [admin] = await k("users")
    .insert({
      login: "admin",
      full_name: "Администратор",
      password_hash: "-",
      role_code: "admin",
      department_id: id,
    })
    .returning<{ id: string }[]>("id");
  await resetContacts(db, sample, admin!.id);
  return admin!.id;
}

async function resetContacts(db: Db, sample: SampleContacts, ownerId: string): Promise<void> {
  await db.knex.raw(
    "truncate contacts, contact_phones, contact_emails, contact_companies, companies, audit_log cascade",
  );
  const rows = sample.existing.map((c) => ({ ...c, id: crypto.randomUUID() }));
  await db
    .knex("contacts")
    .insert(
      rows.map((c) => ({ id: c.id, last_name: c.lastName, first_name: c.firstName, owner_id: ownerId })),
    );
  await db.knex("contact_phones").insert(rows.map((c) => ({ contact_id: c.id, phone: c.phone })));
}

/** The floor: the rows the import creates, as bare multi-row INSERTs in the import's batches. */
async function baselineInsert(db: Db, plan: ImportPlan, ownerId: string): Promise<number> {
  const drafts = plan.rows.flatMap((r) => (r.outcome === "create" ? [r.draft as ContactDraft] : []));
  const started = performance.now();
  for (let i = 0; i < drafts.length; i += BATCH_SIZE) {
    const batch = drafts.slice(i, i + BATCH_SIZE).map((d) => ({ d, id: crypto.randomUUID() }));
    await db.knex.transaction(async (trx) => {
      await trx("contacts").insert(
        batch.map(({ d, id }) => ({
          id,
          last_name: d.lastName,
          first_name: d.firstName,
          middle_name: d.middleName,
          position: d.position,
          owner_id: ownerId,
        })),
      );
      const phones = batch.flatMap(({ d, id }) =>
        d.phones.map((phone, position) => ({ contact_id: id, phone, position })),
      );
      const emails = batch.flatMap(({ d, id }) =>
        d.emails.map((email, position) => ({ contact_id: id, email, position })),
      );
      await trx("contact_phones").insert(phones);
      await trx("contact_emails").insert(emails);
    });
  }
  return (performance.now() - started) / 1000;
}

async function measure(
  kind: "pglite" | "postgres",
  url: string,
  sample: SampleContacts,
  file: Buffer,
): Promise<Measured> {
  note(`${kind}: fresh database`);
  const db = await freshDb(kind, url);
  try {
    await migrateLatest(db.knex);
    const adminId = await seedOrg(db, sample);
    const principal = (await findPrincipalByUserId(db.knex, adminId))!;
    const options = { entity: "contacts" as const, onDuplicate: "skip" as const, principal };

    // The floor first, on the same plan, then the table is emptied for the import.
    const baselinePlan = await planImport(db.knex, file, options);
    const baseline = await baselineInsert(db, baselinePlan, adminId);
    await resetContacts(db, sample, adminId);
    await db.knex.raw("analyze");

    const started = performance.now();
    const plan = await planImport(db.knex, file, options);
    const planned = performance.now();
    const bar = progress(`${kind}: importing`, plan.rows.length);
    const counts = await writePlan(
      db.knex,
      plan,
      { ...options, fileName: "bench.xlsx", importId: null },
      (c) => bar.update(c.processed),
    );
    bar.done();
    const written = performance.now();
    const { rows } = await db.knex.raw<{ rows: { v: string }[] }>(
      "select current_setting('server_version') as v",
    );
    return {
      db: kind,
      rows: plan.rows.length,
      readAndPlan: (planned - started) / 1000,
      write: (written - planned) / 1000,
      baseline,
      created: counts.created,
      serverVersion: rows[0]?.v ?? "?",
    };
  } finally {
    await db.close();
  }
}

function report(results: Measured[], sample: SampleContacts): string {
  const s = (v: number) => v.toFixed(2).padStart(8);
  const rate = (n: number, sec: number) => fmtInt(n / sec).padStart(9);
  const lines = [
    `import of ${fmtInt(sample.rows.length)} contacts from XLSX (5% duplicates, 2% broken; ${fmtInt(sample.creates)} created)`,
    `${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`,
    "",
    `${"".padEnd(16)}${"read+plan".padStart(10)}${"write".padStart(8)}${"total s".padStart(9)}${"rows/s".padStart(9)}` +
      `${"floor s".padStart(9)}${"floor rows/s".padStart(13)}${"ratio".padStart(7)}`,
  ];
  for (const r of results) {
    const total = r.readAndPlan + r.write;
    lines.push(
      `${`${r.db} ${r.serverVersion.split(" ")[0]}`.padEnd(16)}${s(r.readAndPlan).padStart(10)}${s(r.write)}${s(total).padStart(9)}` +
        `${rate(r.rows, total)}${s(r.baseline).padStart(9)}${rate(r.created, r.baseline).padStart(13)}${`${(total / r.baseline).toFixed(1)}×`.padStart(7)}`,
    );
  }
  lines.push(
    "",
    "rows/s: file rows per second of the whole import; floor: bare multi-row INSERT of the created rows",
  );
  const pgResult = results.find((r) => r.db === "postgres");
  if (pgResult) {
    const total = pgResult.readAndPlan + pgResult.write;
    lines.push(
      `target: ${total <= TARGET_SECONDS ? "PASS" : "FAIL"}  whole file on PostgreSQL ${total.toFixed(1)} s (≤ ${TARGET_SECONDS} s)`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { db: { type: "string", default: "both" }, rows: { type: "string", default: "11000" } },
  });
  const kinds = values.db === "both" ? ["pglite", "postgres"] : [values.db];
  if (!kinds.every((k): k is "pglite" | "postgres" => k === "pglite" || k === "postgres")) {
    throw new Error("--db must be pglite, postgres or both");
  }
  // A script's entry point reads its own environment.
  const url =
    process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/";
  const sample = buildSampleContacts(Number(values.rows));
  const file = await sampleXlsx(sample);
  note(`generated ${fmtInt(sample.rows.length)} rows, ${(file.length / 1024).toFixed(0)} KiB of XLSX`);
  const results: Measured[] = [];
  for (const kind of kinds) {
    results.push(await measure(kind, url, sample, file));
  }
  process.stdout.write(`${report(results, sample)}\n`);
}

main().catch((err: unknown) => {
  process.exitCode = 1;
  note(`bench:import failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
});
