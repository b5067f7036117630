import path from "node:path";
import { parseArgs } from "node:util";

export interface BenchOptions {
  db: "postgres" | "pglite";
  /** PostgreSQL connection string of the benchmark's own database (postgres only). */
  databaseUrl: string;
  /** PGlite data directory (pglite only); one per contact count. */
  pgliteDir: string;
  contacts: number;
  /** Measured operations (lookups, creates, or repetitions of each search text). */
  iterations: number | undefined;
  warmup: number | undefined;
  concurrency: number;
  /** Print EXPLAIN ANALYZE of search queries that miss the target. */
  explain: boolean;
}

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/okno_bench_1m";
const CACHE_DIR = path.resolve(import.meta.dirname, ".cache");

/**
 * Benchmark options from the command line (`npm run bench:lookup -- --db pglite --contacts 100000`) and
 * the environment (BENCH_DB, BENCH_CONTACTS, BENCH_DATABASE_URL or DATABASE_URL). This is a script's
 * entry point, so it reads process.env itself.
 */
export function readOptions(argv = process.argv.slice(2), env = process.env): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: "string" },
      contacts: { type: "string" },
      iterations: { type: "string" },
      warmup: { type: "string" },
      concurrency: { type: "string" },
      explain: { type: "boolean", default: false },
    },
  });
  const db = values.db ?? env.BENCH_DB ?? "postgres";
  if (db !== "postgres" && db !== "pglite") {
    throw new Error(`--db must be postgres or pglite, not ${db}`);
  }
  const contacts = positive(
    "contacts",
    values.contacts ?? env.BENCH_CONTACTS ?? (db === "pglite" ? "100000" : "1000000"),
  );
  return {
    db,
    databaseUrl: env.BENCH_DATABASE_URL ?? env.DATABASE_URL ?? DEFAULT_URL,
    pgliteDir: path.join(CACHE_DIR, `pglite-${contacts}`),
    contacts,
    iterations: values.iterations === undefined ? undefined : positive("iterations", values.iterations),
    warmup: values.warmup === undefined ? undefined : positive("warmup", values.warmup, 0),
    concurrency: positive("concurrency", values.concurrency ?? "8"),
    explain: values.explain,
  };
}

function positive(name: string, text: string, min = 1): number {
  const n = Number(text.replace(/_/g, ""));
  if (!Number.isInteger(n) || n < min) {
    throw new Error(`--${name} must be an integer ≥ ${min}, not ${text}`);
  }
  return n;
}
