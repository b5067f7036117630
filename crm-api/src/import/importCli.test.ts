import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrateLatest, openDb } from "@okno/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedTestOrg, type TestDb } from "../test/testApp.ts";
import { SERVER_FILE, ServerFile } from "./serverFile.ts";

const root = path.resolve(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(path.join(tmpdir(), "okno-import-cli-"));
const csvFile = path.join(dataDir, "клиенты.csv");

/** The environment of a fresh machine on the embedded database in `dataDir`. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    OKNO_SEED: "none",
    ...extra,
  };
  delete e.DATABASE_URL;
  return e;
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "crm-api/src/import/importCli.ts", ...args], {
    cwd: root,
    env: env(),
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function startServer(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "crm-api/src/main.ts"], {
    cwd: root,
    env: env({ PORT: String(port) }),
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start")), 60_000);
    child.stdout.on("data", (c: Buffer) => {
      if (c.toString().includes("Okno is running")) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}`)));
  });
}

beforeAll(async () => {
  const db = await openDb({ dataDir });
  await migrateLatest(db.knex);
  await seedTestOrg(db as TestDb);
  await db.close();
}, 60_000);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm run import", () => {
  it("opens the database itself when no server holds it, and exits 2 when rows had errors", async () => {
    writeFileSync(
      csvFile,
      "ФИО;Телефон\nИванов Иван;8 912 000-11-22\nПетров Пётр;12-34\nСидоров Олег;+7 912 000-11-23\n",
    );
    const { code, stdout, stderr } = await runCli([csvFile, "--entity", "contacts"]);
    expect(stderr).toContain("importing contacts: 100% (3 of 3 rows)");
    expect(stdout).toContain(
      "contacts from клиенты.csv: 2 created, 0 updated, 0 skipped, 1 with errors (3 rows)",
    );
    expect(stdout).toContain("row 3: phone: «12-34» is not a phone number");
    expect(code).toBe(2);
  }, 60_000);

  it("explains a wrong command line and exits 1", async () => {
    const { code, stderr } = await runCli([csvFile, "--entity", "deals"]);
    expect(stderr).toContain("--entity");
    expect(code).toBe(1);
  }, 60_000);

  it("goes through the running server's API while it holds the PGlite files", async () => {
    const server = await startServer(await freePort());
    try {
      const file = path.join(dataDir, SERVER_FILE);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const info = ServerFile.parse(JSON.parse(readFileSync(file, "utf8")));
      expect(info.pid).toBe(server.pid);

      writeFileSync(csvFile, "ФИО;Телефон\nКозлова Анна;8 912 000-11-24\n");
      const { code, stdout } = await runCli([csvFile, "--entity", "contacts", "--dry-run"]);
      expect(code).toBe(0);
      expect(stdout).toContain("1 created");
      expect(stdout).toContain("Dry run: nothing was written.");
      // Only the server's own database knows the run: the CLI did not open the files behind its back.
      const id = /imports\/([0-9a-f-]{36})/.exec(stdout)![1];
      const res = await fetch(`${info.url}/api/v1/imports/${id}`, {
        headers: { authorization: `Bearer ${info.token}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await new Promise((resolve) => {
        server.on("exit", resolve);
        server.kill("SIGTERM");
      });
    }
    expect(existsSync(path.join(dataDir, SERVER_FILE))).toBe(false);
  }, 120_000);
});
