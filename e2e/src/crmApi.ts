import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Db } from "@okno/db";
import { openTestDb } from "@okno/db/testDb";
import { freePort } from "./freePort.ts";
import { spawnService, stopService, type ServiceProcess } from "./service.ts";

export interface RunningCrmApi {
  url: string;
  /** The bridge's secret, for pushing CTI events as the PBX would. */
  ctiToken: string;
  /** The PostgreSQL test database it runs on (null on PGlite, whose files only the process may open). */
  db: Db | null;
  log: () => string;
  /** SIGKILL, as a crash or the OOM killer would: no shutdown hooks run. */
  crash: () => Promise<void>;
  /** Starts it again on the same database and port after a crash. */
  restart: () => Promise<void>;
  stop: () => Promise<void>;
}

export interface CrmApiOptions {
  sip?: { wsUrl: string; domain: string; ephemeralSecret: string };
  /** PostgreSQL server to clone a fresh test database on (e2e follows DATABASE_URL like every test). */
  databaseUrl?: string;
  /** More settings (LOG_LEVEL, limits…) over the defaults below. */
  env?: Record<string, string>;
}

/**
 * crm-api as its own process (`tsx crm-api/src/main.ts`), exactly as deployed, with the demo company
 * seeded into a database of its own: PGlite in a temp DATA_DIR, or a clone on PostgreSQL.
 */
export async function startCrmApi(options: CrmApiOptions): Promise<RunningCrmApi> {
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), "okno-e2e-data-"));
  const pgDb = options.databaseUrl ? await openTestDb({ DATABASE_URL: options.databaseUrl }) : undefined;
  const dbUrl = pgDb ? (pgDb as unknown as { url: string }).url : undefined;
  const ctiToken = randomBytes(24).toString("hex");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "/tmp",
    PORT: String(port),
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    OKNO_SEED: "demo",
    LOG_LEVEL: "warn",
    CTI_TOKEN: ctiToken,
    ...(options.sip
      ? {
          SIP_WS_URL: options.sip.wsUrl,
          SIP_DOMAIN: options.sip.domain,
          SIP_EPHEMERAL_SECRET: options.sip.ephemeralSecret,
        }
      : {}),
    // Many logins from one address in one run.
    LOGIN_RATE_LIMIT: "1000",
    ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
    ...options.env,
  };
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-100_000);
  };
  const cleanup = async () => {
    await pgDb?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const launch = () => spawnService("crm-api/src/main.ts", env, "Okno is running at", append);
  let service: ServiceProcess;
  try {
    service = await launch();
  } catch (error) {
    await cleanup();
    throw new Error(`${(error as Error).message}:\n${output}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    ctiToken,
    db: pgDb ?? null,
    log: () => output,
    crash: () => stopService(service, "SIGKILL"),
    async restart() {
      service = await launch().catch((error: unknown) => {
        throw new Error(`${(error as Error).message}:\n${output}`);
      });
    },
    async stop() {
      await stopService(service);
      await cleanup();
    },
  };
}
