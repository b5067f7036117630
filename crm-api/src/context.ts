import type { Db } from "@okno/db";
import type { FastifyBaseLogger } from "fastify";
import type { PrincipalCache } from "./auth/cache.ts";
import type { Config } from "./config.ts";

/** What every feature gets: explicit arguments, no container. */
export interface AppContext {
  config: Config;
  db: Db;
  log: FastifyBaseLogger;
  principalCache: PrincipalCache;
}
