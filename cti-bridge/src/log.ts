import pino, { type Logger } from "pino";

export type { Logger };

/**
 * The bridge's logger: JSON lines on stderr (stdout stays free for the one "running at" line), pretty
 * only on a terminal. Modules take a child (`log.child({ module: "publish" })`).
 */
export function createLogger(level: string): Logger {
  const pretty = process.stderr.isTTY
    ? { transport: { target: "pino-pretty", options: { destination: 2 } } }
    : {};
  return pino({ level, ...pretty }, pretty.transport ? undefined : pino.destination(2));
}
