import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitForPort } from "./freePort.ts";

const CONFIG = fileURLToPath(new URL("../kamailio/kamailio.cfg", import.meta.url));
export const KAMAILIO_BIN = "/usr/sbin/kamailio";

export interface RunningKamailio {
  port: number;
  /** `ws://127.0.0.1:<port>` for SIP.js. */
  wsUrl: string;
  /** What Kamailio printed so far (stderr), for a failing test's message. */
  log: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts Debian's Kamailio in the foreground (-DD -E) with e2e/kamailio/kamailio.cfg on a free loopback
 * port (or `port`, to restart one in place). With `secret`, REGISTER and INVITE need auth_ephemeral
 * credentials; without it, Kamailio checks nothing.
 */
export async function startKamailio(
  options: { secret?: string; port?: number; trace?: boolean } = {},
): Promise<RunningKamailio> {
  const port = options.port ?? (await freePort());
  const runDir = await mkdtemp(join(tmpdir(), "okno-kamailio-"));
  const args = ["-DD", "-E", "-f", CONFIG, "-l", `tcp:127.0.0.1:${port}`, "-Y", runDir, "-w", runDir];
  args.push("-m", "64", "-M", "8");
  if (options.secret) {
    args.push("-A", `EPHEMERAL_SECRET="${options.secret}"`);
  }
  if (options.trace) {
    args.push("-A", "SIP_TRACE");
  }
  const child = spawn(KAMAILIO_BIN, args, { stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr.on("data", (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-200_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await Promise.race([
      waitForPort(port),
      exited.then(() => {
        throw new Error(`kamailio exited at start:\n${output}`);
      }),
    ]);
  } catch (error) {
    child.kill("SIGKILL");
    await rm(runDir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode === null) {
        // SIGTERM makes the main process stop its children and remove its runtime files.
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      await rm(runDir, { recursive: true, force: true });
    },
  };
}
