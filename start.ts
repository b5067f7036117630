import { randomBytes } from "node:crypto";
import { loadConfig as loadApiConfig } from "./crm-api/src/config.ts";
import { localUrl } from "./crm-api/src/import/serverFile.ts";
import { createProcessLog, exitOnStartFailure, serveUntilSignal, startServer } from "./crm-api/src/server.ts";
import { loadConfig as loadBridgeConfig, startBridge } from "./cti-bridge/src/index.ts";
import { ensureDesktopBuilt } from "./agent-desktop/scripts/ensureBuilt.ts";

/**
 * `npm start`: crm-api and the CTI bridge in one process, on one port (ARCHITECTURE §7). The two
 * services still do not import each other; this launcher is the only file that knows both.
 *
 * The bridge reaches crm-api over loopback HTTP rather than by a direct call into its batch handler:
 * it is then exactly the service that runs on another host (same authentication, same batching,
 * same spool and retries when crm-api is restarting or failing), at the cost of well under a
 * millisecond per batch.
 */
async function main(): Promise<void> {
  const apiConfig = loadApiConfig();
  const bridgeConfig = loadBridgeConfig();
  // One secret for both halves: the configured CTI_TOKEN, or a fresh one for this process's life
  // (nothing outside the process needs it then, and nothing stores it).
  const token = apiConfig.cti.token ?? randomBytes(32).toString("base64url");
  const config = { ...apiConfig, cti: { token } };
  const log = createProcessLog(config);
  // The desktop is served from agent-desktop/dist: build it when missing or older than its sources.
  await ensureDesktopBuilt(log.child({ module: "desktop" }));

  // The bridge opens first (recovering its spool) so that webhooks mounted on crm-api's server have a
  // publisher; it delivers only once the server listens.
  const bridge = await startBridge(bridgeConfig, log, {
    url: localUrl(config.http.host, config.http.port),
    token,
  });
  const server = await startServer(config, log, {
    extend: async (app) => {
      for (const { prefix, plugin } of bridge.webhooks) {
        await app.register(
          async (scope) => {
            // Webhooks prove themselves by their own signatures (Mango: sha256 of key + json + salt):
            // crm-api's session authentication does not apply to them.
            scope.addHook("onRoute", (route) => {
              route.config = { ...route.config, public: true };
            });
            await scope.register(plugin);
          },
          { prefix },
        );
      }
    },
  }).catch(async (err: unknown) => {
    await bridge.close();
    throw err;
  });
  bridge.publisher.start();
  log.info({ pbx: bridge.pbx }, "cti bridge running");
  // The bridge closes first: what crm-api has not acknowledged stays in the spool for the next start.
  serveUntilSignal(config, log, server, () => bridge.close());
}

main().catch(exitOnStartFailure);
