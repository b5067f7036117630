import { DEMO_USERS, isEmpty, migrateLatest, openDb, seedDemo, type Db } from "@okno/db";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import pino, { type Logger } from "pino";
import { buildApp } from "./app.ts";
import { hashPassword } from "./auth/passwords.ts";
import type { Config } from "./config.ts";
import { localUrl, writeServerFile } from "./import/serverFile.ts";
import { startJobs } from "./jobs/registry.ts";

/** The demo password (README says to change it); only the demo seed uses it. */
export const DEMO_PASSWORD = "demo";

export interface Server {
  app: FastifyInstance;
  db: Db;
  /** Where this process reaches the server itself (loopback when listening on every address). */
  localUrl: string;
  /** The demo company was created by this start. */
  seeded: boolean;
  /** Stops the jobs, the HTTP server and the database, in that order. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  /**
   * Adds routes to the app before it listens: the one-process launcher mounts the Mango Office
   * webhooks here, on the same port (ARCHITECTURE §7, §10).
   */
  extend?: (app: FastifyInstance) => Promise<void>;
}

/** The one line `npm start` prints once it accepts requests (ARCHITECTURE §10). */
export function readyLine(config: Config): string {
  const shown = config.http.host === "0.0.0.0" ? "localhost" : config.http.host;
  return `Okno is running at http://${shown}:${config.http.port}\n`;
}

/** Printed after the first start on an empty embedded database. */
export function demoNotice(): string {
  const logins = DEMO_USERS.slice(0, 8)
    .map((u) => u.login)
    .join(", ");
  return `Demo company created. Logins: ${logins} (password "${DEMO_PASSWORD}"). Change them before real use.\n`;
}

/**
 * Opens and migrates the database, seeds the demo company into an empty one when configured, builds
 * the app and listens. Shared by crm-api's own entry point (main.ts) and the one-process launcher.
 */
export async function startServer(
  config: Config,
  log: FastifyBaseLogger,
  options: StartServerOptions = {},
): Promise<Server> {
  const db = await openDb(config.db);
  const ran = await migrateLatest(db.knex);
  if (ran.length > 0) {
    log.info({ migrations: ran.length }, "database migrated");
  }
  let seeded = false;
  if (config.seed === "demo" && (await isEmpty(db.knex))) {
    await seedDemo(db.knex, await hashPassword(DEMO_PASSWORD), (step, done, total) =>
      log.info({ step, progress: `${Math.round((done / total) * 100)}%` }, "seeding demo company"),
    );
    seeded = true;
  }
  const app = await buildApp({ config, db, log });
  await options.extend?.(app);
  await app.listen({ port: config.http.port, host: config.http.host });
  const url = localUrl(config.http.host, config.http.port);
  // Timers and robots: this instance's share of the durable job queue (safe alongside other instances).
  const jobs = startJobs(db.knex, log.child({ module: "jobs" }));
  // On PGlite this process owns the database files: the import CLI must come through HTTP (serverFile.ts).
  const removeServerFile =
    db.kind === "pglite" ? await writeServerFile(db.knex, config.dataDir, url) : undefined;
  return {
    app,
    db,
    localUrl: url,
    seeded,
    async close() {
      await jobs.stop();
      await app.close();
      await removeServerFile?.();
      await db.close();
    },
  };
}

/** The process log: JSON on stderr (stdout carries only the ready line), pretty when stderr is a terminal. */
export function createProcessLog(config: Config): Logger {
  return pino(
    {
      level: config.logLevel,
      ...(process.stderr.isTTY ? { transport: { target: "pino-pretty", options: { destination: 2 } } } : {}),
    },
    pino.destination(2),
  );
}

/**
 * Announces a started server (the ready line on stdout, once per process; the demo logins on stderr) and
 * closes it on SIGINT/SIGTERM. `closeFirst` runs before the server closes: the launcher's CTI bridge,
 * whose unacknowledged events must reach its spool while crm-api still answers.
 */
export function serveUntilSignal(
  config: Config,
  log: Logger,
  server: Server,
  closeFirst?: () => Promise<void>,
): void {
  process.stdout.write(readyLine(config));
  if (server.seeded) {
    process.stderr.write(demoNotice());
  }
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    log.info({ signal }, "shutting down");
    await closeFirst?.();
    await server.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

/** What an entry point does when the start fails: one line on stderr and exit code 1. */
export function exitOnStartFailure(err: unknown): never {
  process.stderr.write(`Okno failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
