import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** A TypeScript service of the repository running as a child process. */
export interface ServiceProcess {
  child: ChildProcess;
  exited: Promise<void>;
}

/**
 * Starts `script` (relative to the repository root) and resolves once its output (stdout or stderr: the
 * bridge logs to stderr) says `readyText`; rejects if it exits first. It runs as `node --import tsx
 * <script>`, one process: the `tsx` command would put a process of its own in front, and a SIGKILL aimed
 * at that one would leave the service running as an orphan.
 */
export async function spawnService(
  script: string,
  env: Record<string, string>,
  readyText: string,
  append: (chunk: Buffer) => void,
  /** Node's own flags (a benchmark's --cpu-prof). */
  nodeArgs: string[] = [],
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", script], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let seen = "";
  const ready = new Promise<void>((resolve) => {
    const watch = (chunk: Buffer) => {
      append(chunk);
      seen = (seen + chunk.toString()).slice(-4096);
      if (seen.includes(readyText)) {
        resolve();
      }
    };
    child.stdout.on("data", watch);
    child.stderr.on("data", watch);
  });
  const failed = exited.then(() => {
    throw new Error(`${script} exited at start`);
  });
  await Promise.race([ready, failed]);
  failed.catch(() => undefined);
  return { child, exited };
}

/** Ends a service: `signal` (SIGTERM by default, a clean shutdown), SIGKILL if it has not gone in 10 s. */
export async function stopService(
  service: ServiceProcess,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  if (service.child.exitCode === null && service.child.signalCode === null) {
    service.child.kill(signal);
    const timer = setTimeout(() => service.child.kill("SIGKILL"), 10_000);
    await service.exited;
    clearTimeout(timer);
  }
}
