import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `npm start`'s entry point as a real process; resolves with its URL once it prints the ready line. */
function start(dataDir: string, port: number): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" };
  delete env.DATABASE_URL; // the embedded default is what a fresh machine gets
  const child = spawn(process.execPath, ["--import", "tsx", "crm-api/src/main.ts"], { cwd: root, env });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`no ready line; stdout: ${out}`)), 60_000);
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Okno is running at (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.on("exit", (code) => reject(new Error(`exited with ${code}; stdout: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

async function login(url: string, name: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login: name, password: "demo" }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("npm start on the embedded database", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "okno-start-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("seeds the demo company on first start, keeps data across a restart and does not seed twice", async () => {
    const port = await freePort();
    const first = await start(dataDir, port);
    expect(first.url).toBe(`http://127.0.0.1:${port}`);
    expect(await (await fetch(`${first.url}/health`)).json()).toEqual({ status: "ok", db: "pglite" });
    const token = await login(first.url, "manager1");
    const created = await fetch(`${first.url}/api/v1/contacts`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ firstName: "Перезапуск", phones: [{ phone: "8 (999) 555-44-33" }] }),
    });
    expect(created.status).toBe(201);
    expect(await stop(first.child)).toBe(0);

    const second = await start(dataDir, port);
    const adminToken = await login(second.url, "admin");
    const found = await fetch(`${second.url}/api/v1/contacts/lookup?phone=%2B79995554433`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await found.json()).toMatchObject({ contact: { firstName: "Перезапуск" } });
    const all = await fetch(`${second.url}/api/v1/contacts?limit=200`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const page = (await all.json()) as { items: unknown[]; nextCursor: string | null };
    // 300 demo contacts + 1: two pages of 200 mean the seed did not run a second time.
    expect(page.items).toHaveLength(200);
    const rest = await fetch(`${second.url}/api/v1/contacts?limit=200&cursor=${page.nextCursor}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(((await rest.json()) as { items: unknown[] }).items).toHaveLength(101);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
