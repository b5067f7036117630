import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openTestDb } from "@okno/db/testDb";
import { freePort } from "./freePort.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TSX = join(ROOT, "node_modules/.bin/tsx");

export interface RunningCrmApi {
  url: string;
  /** The bridge's secret, for pushing CTI events as the PBX would. */
  ctiToken: string;
  log: () => string;
  stop: () => Promise<void>;
}

export interface CrmApiOptions {
  sip: { wsUrl: string; domain: string; ephemeralSecret: string };
  /** PostgreSQL server to clone a fresh test database on (e2e follows DATABASE_URL like every test). */
  databaseUrl?: string;
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
    SIP_WS_URL: options.sip.wsUrl,
    SIP_DOMAIN: options.sip.domain,
    SIP_EPHEMERAL_SECRET: options.sip.ephemeralSecret,
    // Many logins from one address in one run.
    LOGIN_RATE_LIMIT: "1000",
    ...(dbUrl ? { DATABASE_URL: dbUrl } : {}),
  };
  const child = spawn(TSX, ["crm-api/src/main.ts"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-100_000);
  };
  child.stderr.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = new Promise<void>((resolve) => {
    child.stdout.on("data", (chunk: Buffer) => {
      append(chunk);
      if (output.includes("Okno is running at")) {
        resolve();
      }
    });
  });
  const cleanup = async () => {
    await pgDb?.drop();
    await rm(dataDir, { recursive: true, force: true });
  };
  const failed = exited.then(() => {
    throw new Error(`crm-api exited at start:\n${output}`);
  });
  try {
    await Promise.race([ready, failed]);
  } catch (error) {
    await cleanup();
    throw error;
  }
  failed.catch(() => undefined);
  return {
    url: `http://127.0.0.1:${port}`,
    ctiToken,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}
