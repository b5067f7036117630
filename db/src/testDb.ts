import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { migrations } from "../migrations/index.ts";
import { migrateLatest } from "./migrate.ts";
import { openDb, type Db } from "./openDb.ts";

/**
 * A fresh, migrated database for one test file: PGlite in memory by default, or, when DATABASE_URL is set,
 * a new PostgreSQL database cloned from a migrated template (cloning is much faster than migrating).
 * `drop()` closes it and removes the PostgreSQL database.
 */
export async function openTestDb(
  env: NodeJS.ProcessEnv = process.env,
): Promise<Db & { drop(): Promise<void> }> {
  const url = env.DATABASE_URL;
  if (!url) {
    const db = await openDb({});
    await migrateLatest(db.knex);
    return { ...db, drop: () => db.close() };
  }
  const template = await ensureTemplate(url);
  const name = `okno_test_${randomBytes(6).toString("hex")}`;
  await withAdmin(url, (c) => c.query(`create database ${name} template ${template}`));
  const dbUrl = withDatabase(url, name);
  const db = await openDb({ databaseUrl: dbUrl, poolMax: 5 });
  return {
    ...db,
    url: dbUrl,
    async drop() {
      await db.close();
      await withAdmin(url, (c) => c.query(`drop database if exists ${name} with (force)`));
    },
  } as Db & { drop(): Promise<void> };
}

/** The connection string of a test database (PostgreSQL only), for tests that open a second instance. */
export function testDbUrl(db: Db): string | undefined {
  return (db as Db & { url?: string }).url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

// The template's name carries a hash of every migration's name and code, so a new or edited migration
// builds a new template instead of cloning a stale one.
async function ensureTemplate(url: string): Promise<string> {
  const source = Object.entries(migrations).map(
    ([name, m]) => `${name}\n${m.up.toString()}\n${m.down?.toString()}`,
  );
  const hash = createHash("sha256").update(source.join("\n")).digest("hex").slice(0, 12);
  const template = `okno_tpl_${hash}`;
  await withAdmin(url, async (c) => {
    // Parallel test workers race to build the template: one builds it under an advisory lock.
    await c.query("select pg_advisory_lock(7305001)");
    try {
      const found = await c.query("select 1 from pg_database where datname = $1", [template]);
      if (found.rowCount === 0) {
        const building = `${template}_build`;
        await c.query(`drop database if exists ${building} with (force)`);
        await c.query(`create database ${building}`);
        const db = await openDb({ databaseUrl: withDatabase(url, building), poolMax: 1 });
        try {
          await migrateLatest(db.knex);
        } finally {
          await db.close();
        }
        await c.query(`alter database ${building} rename to ${template}`);
      }
    } finally {
      await c.query("select pg_advisory_unlock(7305001)");
    }
  });
  return template;
}
