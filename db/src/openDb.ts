import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import knexFactory, { type Knex } from "knex";
import ClientPgLite from "knex-pglite";
import pg from "pg";
import { startFlusher } from "./flushDir.ts";
import { createPgListener } from "./pgListener.ts";

export type DbKind = "pglite" | "postgres";

export interface DbConfig {
  /** PostgreSQL connection string; when absent the embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for the PGlite files (`<dataDir>/pglite`); absent = in memory (tests). */
  dataDir?: string | undefined;
  /** Connection pool size on PostgreSQL. */
  poolMax?: number;
}

export type Listener = (payload: string) => void;

export interface Db {
  knex: Knex;
  kind: DbKind;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// int8 arrives as a string from node-postgres; our int8 columns are counts and kopecks, far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
// A `date` is a calendar day, not an instant: keep "2026-11-23" as text instead of a local-midnight Date.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** Opens the database the configuration names: PostgreSQL when `databaseUrl` is set, PGlite otherwise. */
export async function openDb(config: DbConfig): Promise<Db> {
  return config.databaseUrl
    ? openPostgres(config.databaseUrl, config.poolMax ?? 10)
    : openPglite(config.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Db> {
  let dir: string | undefined;
  if (dataDir) {
    dir = path.resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
  }
  const pglite = await PGlite.create(dir, {
    extensions: { pg_trgm },
    parsers: { [pg.types.builtins.DATE]: (v: string) => v },
  });
  const knex = knexFactory({
    client: ClientPgLite,
    dialect: "postgres",
    // knex-pglite accepts our own instance through a function (untyped upstream).
    connection: (() => ({ pglite })) as unknown as Knex.StaticConnectionConfig,
  });
  const flusher = dir ? startFlusher(dir) : undefined;
  return {
    knex,
    kind: "pglite",
    async listen(channel, onPayload) {
      const unsubscribe = await pglite.listen(channel, onPayload);
      return unsubscribe;
    },
    async close() {
      // Destroying knex closes its only connection: the PGlite instance.
      await knex.destroy();
      if (!pglite.closed) {
        await pglite.close();
      }
      await flusher?.stop();
    },
  };
}

function openPostgres(url: string, poolMax: number): Promise<Db> {
  const knex = knexFactory({ client: "pg", connection: url, pool: { min: 0, max: poolMax } });
  // LISTEN needs one connection of its own that stays open; created lazily on first listen().
  const listener = createPgListener(url);
  return Promise.resolve({
    knex,
    kind: "postgres",
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    async close() {
      await listener.close();
      await knex.destroy();
    },
  });
}
