import os from "node:os";
import type { Knex } from "knex";
import { openBenchDb, type BenchDb } from "./benchDb.ts";
import { HttpClient, startServer, type BenchServer } from "./http.ts";
import { readOptions, type BenchOptions } from "./options.ts";
import { note } from "./progress.ts";

export interface BenchContext extends BenchDb {
  options: BenchOptions;
  server: BenchServer;
  /** Keep-alive clients authenticated as the administrator (scope "all") and manager01 (scope "own"). */
  admin: HttpClient;
  manager: HttpClient;
  /** Facts about the run for the report: database, versions, date. */
  meta: Record<string, unknown>;
}

/**
 * Opens the seeded database and the real application, runs the benchmark, and always cleans up.
 * The exit code is 0 whatever the figures (benchmarks report, they do not gate) and 1 on an error.
 */
export async function runBench(name: string, body: (ctx: BenchContext) => Promise<void>): Promise<void> {
  let ctx: BenchContext | undefined;
  try {
    const options = readOptions();
    const bench = await openBenchDb(options);
    const server = await startServer(bench.db);
    ctx = {
      ...bench,
      options,
      server,
      admin: new HttpClient(server.origin, bench.org.adminToken, options.concurrency),
      manager: new HttpClient(server.origin, bench.org.managerToken, options.concurrency),
      meta: await describeRun(bench, options),
    };
    note(`${name}: ${bench.label}, app at ${server.origin}`);
    await body(ctx);
  } catch (err) {
    process.exitCode = 1;
    note(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    if (ctx) {
      ctx.admin.close();
      ctx.manager.close();
      await ctx.db.knex("contacts").where("owner_id", ctx.org.adminId).delete();
      await ctx.server.app.close();
      await ctx.db.close();
    }
  }
}

/** Facts about the run for the report: database and its version, Node, date, the machine's load. */
export async function describeRun(bench: BenchDb, o: BenchOptions): Promise<Record<string, unknown>> {
  const { rows } = await bench.db.knex.raw<{ rows: { v: string }[] }>(
    "select current_setting('server_version') as v",
  );
  return {
    db: o.db,
    contacts: o.contacts,
    serverVersion: rows[0]?.v,
    node: process.version,
    at: new Date().toISOString(),
    // The machine is shared: a load average above its core count means the figures carry others' work.
    loadAverage: os.loadavg().map((l) => +l.toFixed(2)),
    cpus: os.cpus().length,
  };
}

export interface Sql {
  sql: string;
  bindings: readonly unknown[];
  /** Statement name when the app runs it as a named prepared statement. */
  name?: string | undefined;
}

/**
 * The SQL statements the application sends to the database while `run` executes, as knex reports them.
 * The floor of an HTTP route is then exactly this statement, run bare through the same driver.
 */
export async function captureSql(knex: Knex, run: () => Promise<unknown>): Promise<Sql[]> {
  const seen: Sql[] = [];
  const onQuery = (q: { sql: string; bindings?: readonly unknown[]; options?: { name?: string } }) => {
    seen.push({ sql: q.sql, bindings: q.bindings ?? [], name: q.options?.name });
  };
  knex.on("query", onQuery);
  try {
    await run();
  } finally {
    knex.removeListener("query", onQuery);
  }
  return seen;
}

/** The one captured statement that reads contacts (the route's main query), or an error. */
export function contactsQuery(statements: Sql[]): Sql {
  const found = statements.filter((s) => /from "contacts" as "c"/.test(s.sql));
  if (found.length !== 1) {
    throw new Error(`expected one contacts query, captured ${found.length}`);
  }
  return found[0]!;
}

/** What knex's pool hands out: a node-postgres client, or the PGlite instance itself. */
interface DriverConnection {
  query(
    sql: string | { text: string; values: unknown[]; name: string },
    values?: unknown[],
  ): Promise<unknown>;
}
interface PooledClient {
  config: { client: unknown };
  acquireConnection(): Promise<DriverConnection>;
  releaseConnection(c: DriverConnection): Promise<void>;
}

/**
 * Runs a captured statement straight on the driver (the SQL is already in its native $1 form): the
 * floor skips HTTP, Fastify, auth, validation, knex's query building and JSON serialisation, and keeps
 * only the pool and the database round trip that the application pays too.
 */
export async function runSql(knex: Knex, q: Sql): Promise<{ rows: Record<string, unknown>[] }> {
  const pool = knex.client as PooledClient;
  const conn = await pool.acquireConnection();
  try {
    // A statement the app names (prepared once per connection on PostgreSQL) runs named here too, so the
    // floor gets the same plan caching; PGlite takes plain text and values.
    const result =
      q.name && pool.config.client === "pg"
        ? await conn.query({ text: q.sql, values: [...q.bindings], name: q.name })
        : await conn.query(q.sql, [...q.bindings]);
    return result as { rows: Record<string, unknown>[] };
  } finally {
    await pool.releaseConnection(conn);
  }
}

/** "2 CPUs, load average 0.42 0.51 0.60 at start": the figures are only as quiet as the machine was. */
export function machineLine(meta: Record<string, unknown>): string {
  const load = (meta.loadAverage as number[]).join(" ");
  return `${String(meta.cpus)} CPUs, load average ${load} at start, Node ${String(meta.node)}, server ${String(meta.serverVersion)}`;
}
