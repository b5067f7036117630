import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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

/**
 * Starts `npm start`'s entry point (the one-process launcher: crm-api + CTI bridge) as a real process;
 * resolves with its URL once it prints the ready line.
 */
function start(
  dataDir: string,
  port: number,
  extra: NodeJS.ProcessEnv = {},
): Promise<{ child: ChildProcess; url: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: "warn",
    ...extra,
  };
  delete env.DATABASE_URL; // the embedded default is what a fresh machine gets
  delete env.CTI_TOKEN; // the launcher makes one up for the two halves
  const child = spawn(process.execPath, ["--import", "tsx", "start.ts"], { cwd: root, env });
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

/** Polls until `probe` returns something, for at most 10 s. */
async function waitFor<T>(probe: () => Promise<T | null>): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== null) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out waiting");
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

  it("seeds the demo company once, keeps data across a restart, and serves the CTI bridge on the same port", async () => {
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

    // A call the bridge had spooled when the process stopped: delivered to crm-api at the next start.
    const spooled = {
      id: randomUUID(),
      type: "call.ringing",
      callId: "ast1:1795456775.0",
      pbx: "ast1",
      at: new Date().toISOString(),
      direction: "in",
      from: "+79995550001",
      to: "+74957654321",
      line: "+74957654321",
    };
    const spoolFile = path.join(dataDir, "spool", "000000000001.jsonl");
    mkdirSync(path.dirname(spoolFile), { recursive: true });
    writeFileSync(spoolFile, `${JSON.stringify(spooled)}\n`);

    const mango = { MANGO_API_KEY: "vpbx-test-key", MANGO_API_SALT: "vpbx-test-salt" };
    const second = await start(dataDir, port, mango);
    const adminToken = await login(second.url, "admin");
    const caller = await waitFor(async () => {
      const res = await fetch(`${second.url}/api/v1/contacts/lookup?phone=%2B79995550001`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      const body = (await res.json()) as { contact: { firstName: string; sourceId: string | null } | null };
      return body.contact;
    });
    // The demo tracking number +7 495 765-43-21 is «Яндекс.Директ».
    expect(caller).toMatchObject({ firstName: "Новый клиент", sourceId: expect.any(String) });
    expect(existsSync(spoolFile)).toBe(false);

    // Mango Office webhooks on the same port, checked by their own signature rather than a session.
    const appeared = JSON.stringify({
      entry_id: "MToxMDA5Njg3Nzo1MDY6NTIy",
      call_id: "300:201",
      timestamp: Math.floor(Date.now() / 1000),
      seq: 1,
      call_state: "Appeared",
      location: "abonent",
      from: { number: "79031112233" },
      to: { extension: "101", number: "74951234567", line_number: "74951234567" },
    });
    const webhook = (sign: string) =>
      fetch(`${second.url}/webhooks/mango/events/call`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ vpbx_api_key: mango.MANGO_API_KEY, sign, json: appeared }).toString(),
      });
    expect((await webhook("forged")).status).toBe(403);
    const sign = createHash("sha256")
      .update(mango.MANGO_API_KEY + appeared + mango.MANGO_API_SALT)
      .digest("hex");
    expect((await webhook(sign)).status).toBe(200);
    const mangoCaller = await waitFor(async () => {
      const res = await fetch(`${second.url}/api/v1/contacts/lookup?phone=%2B79031112233`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      return ((await res.json()) as { contact: { firstName: string } | null }).contact;
    });
    expect(mangoCaller).toMatchObject({ firstName: "Новый клиент" });
    const found = await fetch(`${second.url}/api/v1/contacts/lookup?phone=%2B79995554433`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(await found.json()).toMatchObject({ contact: { firstName: "Перезапуск" } });
    const all = await fetch(`${second.url}/api/v1/contacts?limit=200`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    const page = (await all.json()) as { items: unknown[]; nextCursor: string | null };
    // 300 demo contacts + 1 + two callers: two pages of 200 mean the seed did not run a second time.
    expect(page.items).toHaveLength(200);
    const rest = await fetch(`${second.url}/api/v1/contacts?limit=200&cursor=${page.nextCursor}`, {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(((await rest.json()) as { items: unknown[] }).items).toHaveLength(103);
    expect(await stop(second.child)).toBe(0);
  }, 120_000);
});
