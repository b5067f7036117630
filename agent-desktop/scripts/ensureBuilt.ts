import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * `npm start` serves agent-desktop/dist. This builds it first when it is missing or older than any
 * source (the desktop's own files or the contracts it compiles in), and otherwise does nothing, so a
 * restart costs no build. A failed build is reported; the server still starts (with the old build, if any).
 */
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["src", "public", "index.html", "vite.config.ts", "package.json", "../contracts/src"];
const BUILT_MARK = path.join(root, "dist", ".vite", "manifest.json");

export interface BuildLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** Newest modification time under `p` (a file or a folder, recursively); 0 when it does not exist. */
function newestMtime(p: string): number {
  if (!existsSync(p)) {
    return 0;
  }
  const stat = statSync(p);
  if (!stat.isDirectory()) {
    return stat.mtimeMs;
  }
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(p)) {
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Why the build is stale, or null when dist is up to date. */
export function staleReason(): string | null {
  if (!existsSync(BUILT_MARK)) {
    return "not built yet";
  }
  const builtAt = statSync(BUILT_MARK).mtimeMs;
  const changed = SOURCES.find((s) => newestMtime(path.join(root, s)) > builtAt);
  return changed ? `${changed} changed since the last build` : null;
}

export async function ensureDesktopBuilt(log: BuildLog): Promise<void> {
  const reason = staleReason();
  if (reason === null) {
    return;
  }
  log.info({ reason }, "building the agent desktop (vite build, about 15 s)");
  const started = Date.now();
  const code = await runViteBuild();
  if (code === 0) {
    log.info({ ms: Date.now() - started }, "agent desktop built");
  } else {
    log.error({ exitCode: code }, "agent desktop build failed: see the vite output above");
  }
}

/** Vite's own progress lines go to stderr, so they never mix with the JSON log on stdout. */
function runViteBuild(): Promise<number> {
  const vite = path.join(root, "..", "node_modules", "vite", "bin", "vite.js");
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vite, "build", "--logLevel", "info"], {
      cwd: root,
      stdio: ["ignore", process.stderr, process.stderr],
    });
    child.on("error", () => resolve(1));
    child.on("exit", (exitCode) => resolve(exitCode ?? 1));
  });
}
