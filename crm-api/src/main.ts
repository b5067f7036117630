import { loadConfig } from "./config.ts";
import { createProcessLog, exitOnStartFailure, serveUntilSignal, startServer } from "./server.ts";

// crm-api alone (`tsx crm-api/src/main.ts`), e.g. on its own host with the bridge elsewhere. `npm start`
// runs the one-process launcher (start.ts at the repository root), which starts this server and the
// CTI bridge together. Prints the ready line on stdout once it accepts requests (ARCHITECTURE §10).
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createProcessLog(config);
  serveUntilSignal(config, log, await startServer(config, log));
}

main().catch(exitOnStartFailure);
