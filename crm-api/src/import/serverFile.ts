import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Knex } from "knex";
import { z } from "zod";
import { insertSession } from "../auth/repo.ts";
import { hashToken, newToken } from "../auth/tokens.ts";

/**
 * `<DATA_DIR>/server.json` says "a server holds this PGlite database; talk to it over HTTP": PGlite files
 * must never be opened by two processes. The import CLI reads it; `npm start` writes it (mode 0600: it
 * holds an administrator's API token) and removes it on shutdown.
 */
export const SERVER_FILE = "server.json";
/** Name of the API session behind the file's token, so a crashed server's token can be revoked on restart. */
const SESSION_NAME = "server.json";

export const ServerFile = z.object({
  pid: z.number().int().positive(),
  url: z.url(),
  /** An administrator's API token; null when the database has no administrator. */
  token: z.string().nullable(),
});
export type ServerFile = z.infer<typeof ServerFile>;

/** The loopback URL of a server listening on `host:port` (0.0.0.0 listens on loopback too). */
export function localUrl(host: string, port: number): string {
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

/** Writes the file with a fresh token of the oldest active administrator; resolves to its remover. */
export async function writeServerFile(db: Knex, dataDir: string, url: string): Promise<() => Promise<void>> {
  await db("sessions").where("name", SESSION_NAME).delete();
  const admin = await db("users")
    .where({ role_code: "admin", is_active: true })
    .orderBy([{ column: "created_at" }, { column: "id" }])
    .first<{ id: string } | undefined>("id");
  let token: string | null = null;
  if (admin) {
    token = newToken();
    await insertSession(db, {
      tokenHash: hashToken(token),
      userId: admin.id,
      kind: "api",
      name: SESSION_NAME,
      expiresAt: null,
    });
  }
  const file = path.join(dataDir, SERVER_FILE);
  // Removed first: writeFileSync keeps the mode of an existing file, and an old one may be world-readable.
  rmSync(file, { force: true });
  const content: ServerFile = { pid: process.pid, url, token };
  writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  return async () => {
    rmSync(file, { force: true });
    await db("sessions").where("name", SESSION_NAME).delete();
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The running server that holds `dataDir`, or null when there is none (no file, or its process is gone). */
export function readServerFile(dataDir: string): ServerFile | null {
  let text: string;
  try {
    text = readFileSync(path.join(dataDir, SERVER_FILE), "utf8");
  } catch {
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null; // half-written by a server that was killed while starting
  }
  const parsed = ServerFile.safeParse(json);
  return parsed.success && isAlive(parsed.data.pid) ? parsed.data : null;
}
