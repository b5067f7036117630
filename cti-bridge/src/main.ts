import Fastify from "fastify";
import { startBridge, type Bridge } from "./bridge.ts";
import { loadConfig, type BridgeConfig } from "./config.ts";
import { createLogger, type Logger } from "./log.ts";

/** Webhooks (Mango Office) need an HTTP server: alone, the bridge runs a small one of its own. */
async function serveWebhooks(bridge: Bridge, config: BridgeConfig, log: Logger) {
  if (bridge.webhooks.length === 0) {
    return null;
  }
  const server = Fastify({ loggerInstance: log });
  for (const { prefix, plugin } of bridge.webhooks) {
    await server.register(plugin, { prefix });
  }
  await server.listen({ port: config.http.port, host: config.http.host });
  return server;
}

// The bridge alone (`tsx cti-bridge/src/main.ts`), next to a crm-api running elsewhere: the same
// service the one-process launcher starts, configured by CRM_API_URL and CTI_TOKEN.
async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  if (!config.ctiToken) {
    throw new Error("CTI_TOKEN is required: the same value crm-api is configured with");
  }
  const bridge = await startBridge(config, log, { url: config.crmApiUrl, token: config.ctiToken });
  const server = await serveWebhooks(bridge, config, log);
  bridge.publisher.start();
  log.info({ crmApiUrl: config.crmApiUrl, pbx: bridge.pbx }, "cti bridge running");

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) {
      return;
    }
    closing = true;
    log.info({ signal, ...bridge.publisher.stats() }, "shutting down");
    await server?.close();
    await bridge.close();
    process.exit(0);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => void shutdown(signal));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`cti-bridge failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
