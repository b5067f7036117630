import pino from "pino";
import { loadConfig } from "./config.ts";
import { demoNotice, readyLine, startServer } from "./server.ts";

// crm-api alone (`tsx crm-api/src/main.ts`), e.g. on its own host with the bridge elsewhere. `npm start`
// runs the one-process launcher (start.ts at the repository root), which starts this server and the
// CTI bridge together. Prints the ready line on stdout once it accepts requests (ARCHITECTURE §10).
async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino(
    {
      level: config.logLevel,
      ...(process.stderr.isTTY ? { transport: { target: "pino-pretty", options: { destination: 2 } } } : {}),
    },
    pino.destination(2),
  );
  const server = await startServer(config, log);
  process.stdout.write(readyLine(config));
  if (server.seeded) {
    process.stderr.write(demoNotice());
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    log.info({ signal }, "shutting down");
    await server.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Okno failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
