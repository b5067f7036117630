import { rm } from "node:fs/promises";
import { ensureRoles, migrateLatest, openDb, type Db } from "@okno/db";
import pg from "pg";
import { hashPassword } from "../crm-api/src/auth/passwords.ts";
import { insertSession } from "../crm-api/src/auth/repo.ts";
import { hashToken, newToken } from "../crm-api/src/auth/tokens.ts";
import type { BenchOptions } from "./options.ts";
import { fmtInt, note } from "./progress.ts";
import { deferIndexes, seedCompanies, seedContacts } from "./seedContacts.ts";

export const MANAGERS = 20;

export interface BenchOrg {
  adminId: string;
  managerIds: string[];
  /** Bearer tokens of fresh API sessions: the administrator (scope "all") and manager01 (scope "own"). */
  adminToken: string;
  managerToken: string;
}

export interface BenchDb {
  db: Db;
  /** "postgres, 1,000,000 contacts" */
  label: string;
  org: BenchOrg;
}

/**
 * The benchmark database, seeded once and reused: a dedicated PostgreSQL database (created when missing)
 * or a PGlite directory under bench/.cache. A database that is not completely seeded for this contact
 * count is dropped and seeded again, so only databases named okno_bench* are ever touched.
 */
export async function openBenchDb(o: BenchOptions): Promise<BenchDb> {
  let db = await openMigrated(o);
  if (await isSeeded(db, o.contacts)) {
    note(`reusing the seeded database (${fmtInt(o.contacts)} contacts): ${where(o)}`);
  } else {
    await db.close();
    await resetStorage(o);
    db = await openMigrated(o);
    note(`seeding ${fmtInt(o.contacts)} contacts into ${where(o)}`);
    await seed(db, o.contacts);
  }
  const org = await startSessions(db);
  // Contacts the administrator owns are the ones earlier benchmark runs created: start without them.
  await db.knex("contacts").where("owner_id", org.adminId).delete();
  return { db, label: `${o.db}, ${fmtInt(o.contacts)} contacts`, org };
}

function where(o: BenchOptions): string {
  return o.db === "pglite" ? o.pgliteDir : redact(o.databaseUrl);
}

function redact(url: string): string {
  const u = new URL(url);
  u.password = u.password ? "***" : "";
  return u.toString();
}

async function openMigrated(o: BenchOptions): Promise<Db> {
  if (o.db === "postgres") {
    await withServer(o.databaseUrl, async (c, name) => {
      const found = await c.query("select 1 from pg_database where datname = $1", [name]);
      if (found.rowCount === 0) {
        await c.query(`create database ${pg.escapeIdentifier(name)}`);
      }
    });
  }
  const db = await openDb(o.db === "postgres" ? { databaseUrl: o.databaseUrl } : { dataDir: o.pgliteDir });
  await migrateLatest(db.knex);
  return db;
}

async function resetStorage(o: BenchOptions): Promise<void> {
  if (o.db === "pglite") {
    await rm(o.pgliteDir, { recursive: true, force: true });
    return;
  }
  await withServer(o.databaseUrl, async (c, name) => {
    await c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`);
    await c.query(`create database ${pg.escapeIdentifier(name)}`);
  });
}

/** Runs `fn` on the server's maintenance database, refusing any database not named okno_bench*. */
async function withServer(url: string, fn: (c: pg.Client, name: string) => Promise<void>): Promise<void> {
  const u = new URL(url);
  const name = decodeURIComponent(u.pathname.slice(1));
  if (!/^okno_bench\w*$/.test(name)) {
    throw new Error(`the benchmark drops and re-seeds its database: name it okno_bench…, not "${name}"`);
  }
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  try {
    await fn(client, name);
  } finally {
    await client.end();
  }
}

// A finished seed leaves this comment on the contacts table; an interrupted one does not. Bump the
// version when the generated data changes, so older benchmark databases are seeded again.
const SEED_VERSION = 2;
const marker = (contacts: number) => `okno bench seed v${SEED_VERSION}: ${contacts} contacts`;

async function isSeeded(db: Db, contacts: number): Promise<boolean> {
  const { rows } = await db.knex.raw<{ rows: { note: string | null }[] }>(
    "select obj_description('contacts'::regclass, 'pg_class') as note",
  );
  if (rows[0]?.note !== marker(contacts)) {
    return false;
  }
  const [count] = await db
    .knex("contacts as c")
    .join("users as u", "u.id", "c.owner_id")
    .where("u.role_code", "manager")
    .count<{ n: number | string }[]>({ n: "*" });
  return Number(count?.n) === contacts;
}

async function seed(db: Db, contacts: number): Promise<void> {
  const k = db.knex;
  await ensureRoles(k);
  const root = await insertDepartment(db, "ООО «Окно-Бенч»", null);
  const sales = await insertDepartment(db, "Отдел продаж", root);
  const passwordHash = await hashPassword("bench");
  const user = (login: string, fullName: string, role: string, departmentId: string) => ({
    login,
    full_name: fullName,
    role_code: role,
    department_id: departmentId,
    password_hash: passwordHash,
  });
  const managers = Array.from({ length: MANAGERS }, (_, i) => {
    const n = String(i + 1).padStart(2, "0");
    return user(`manager${n}`, `Менеджер ${n}`, "manager", sales.id);
  });
  await k("users").insert([user("admin", "Администратор", "admin", root.id), ...managers]);
  const managerIds = await managerIdsOf(db);
  const companies = Math.floor(contacts / 20);
  await deferIndexes(k, async () => {
    await seedCompanies(k, companies, managerIds);
    await seedContacts(k, contacts, companies, managerIds, db.kind === "pglite" ? 10_000 : 20_000);
  });
  await k.raw(`comment on table contacts is '${marker(contacts)}'`);
}

async function insertDepartment(
  db: Db,
  name: string,
  parent: { id: string; path: string } | null,
): Promise<{ id: string; path: string }> {
  const id = crypto.randomUUID();
  const path = `${parent?.path ?? "/"}${id}/`;
  await db.knex("departments").insert({ id, name, parent_id: parent?.id ?? null, path });
  return { id, path };
}

/** Replaces the bench users' sessions with two new API tokens, as an administrator would issue them. */
async function startSessions(db: Db): Promise<BenchOrg> {
  const k = db.knex;
  const users = await k("users")
    .whereIn("login", ["admin", "manager01"])
    .select<{ id: string; login: string }[]>("id", "login");
  const adminId = users.find((u) => u.login === "admin")?.id;
  const managerId = users.find((u) => u.login === "manager01")?.id;
  if (!adminId || !managerId) {
    throw new Error("the benchmark database has no admin or manager01: delete it to seed again");
  }
  await k("sessions").whereIn("user_id", [adminId, managerId]).delete();
  const token = async (userId: string) => {
    const t = newToken();
    await insertSession(k, { tokenHash: hashToken(t), userId, kind: "api", name: "bench", expiresAt: null });
    return t;
  };
  return {
    adminId,
    managerIds: await managerIdsOf(db),
    adminToken: await token(adminId),
    managerToken: await token(managerId),
  };
}

function managerIdsOf(db: Db): Promise<string[]> {
  return db.knex("users").where("role_code", "manager").orderBy("login").pluck<string[]>("id");
}
