import type { FastifyPluginAsync } from "fastify";
import { startAri } from "./asterisk/ari/index.ts";
import { startAsteriskAdapter, type AsteriskAdapter, type AsteriskAdapterStats } from "./asterisk/index.ts";
import { commandRoutes } from "./commands/routes.ts";
import type { CommandTargets } from "./commands/dispatch.ts";
import type { BridgeConfig } from "./config.ts";
import { startGenesysAdapter } from "./genesys/index.ts";
import {
  createMangoCommands,
  mangoWebhooks,
  type MangoIngest,
  type MangoWebhookOptions,
} from "./mango/index.ts";
import type { Logger } from "./log.ts";
import { openPublisher, type Publisher, type PublisherStats } from "./publish.ts";
import { openBridgeRecordings, withRecordings } from "./recordings/index.ts";

/** The PBX connection ids, the prefixes of every callId ("ast1:1700000000.12"). */
export const PBX_IDS = { asterisk: "ast1", mango: "mango", genesys: "genesys" } as const;

export interface Bridge {
  publisher: Publisher;
  /** Which PBX connections run. */
  pbx: string[];
  /**
   * HTTP routes the bridge needs on a server it does not own (Mango Office webhooks, crm-api's commands
   * at /bridge/commands), to be mounted by the host at `prefix`; the one-process launcher mounts them on
   * crm-api's port. Each authenticates itself (signatures, CTI_TOKEN), not with crm-api's sessions.
   */
  webhooks: { prefix: string; plugin: FastifyPluginAsync }[];
  /** Counters for operators and tests: delivery, and the AMI connection's frames and events. */
  stats(): { publisher: PublisherStats; asterisk: AsteriskAdapterStats | null };
  close(): Promise<void>;
}

/**
 * Opens the publisher (recovering the spool) and starts an adapter per configured PBX; their events are
 * spooled at once and delivered after `publisher.start()`, which the caller invokes once crm-api is up.
 * Mango Office's webhooks need an HTTP server: the one-process launcher mounts `webhooks` on crm-api's.
 */
export async function startBridge(
  config: BridgeConfig,
  log: Logger,
  target: { url: string; token: string },
): Promise<Bridge> {
  const publisher = withRecordings(
    await openPublisher({
      url: target.url,
      token: target.token,
      spoolDir: config.spoolDir,
      log: log.child({ module: "publish" }),
    }),
    await openBridgeRecordings(config, log, target, PBX_IDS),
  );
  const stops: (() => Promise<void>)[] = [];
  const pbx: string[] = [];
  const targets: CommandTargets = { pbxIds: PBX_IDS, asterisk: null, mango: null };
  let asterisk: AsteriskAdapter | null = null;
  if (config.asterisk) {
    const adapter = startAsteriskAdapter({
      amiUrl: config.asterisk.amiUrl,
      pbxId: PBX_IDS.asterisk,
      onEvent: (event) => publisher.publish(event),
      log,
    });
    stops.push(adapter.stop);
    asterisk = adapter;
    // ARI is optional: without it commands use AMI alone (Originate, ChanSpy for supervision).
    const ari = config.asterisk.ariUrl
      ? startAri({ ariUrl: config.asterisk.ariUrl, app: config.asterisk.ariApp, log })
      : null;
    if (ari) {
      stops.push(ari.stop);
    }
    targets.asterisk = {
      pbxId: PBX_IDS.asterisk,
      ami: adapter,
      ari,
      dialContext: config.asterisk.dialContext,
    };
    pbx.push(PBX_IDS.asterisk);
  }
  const webhooks: Bridge["webhooks"] = [];
  if (config.mango) {
    let ingest: MangoIngest | null = null;
    const options: MangoWebhookOptions = {
      apiKey: config.mango.apiKey,
      apiSalt: config.mango.apiSalt,
      pbxId: PBX_IDS.mango,
      onEvent: (event) => publisher.publish(event),
      log,
      onReady: (handle) => (ingest = handle.ingest),
    };
    targets.mango = {
      commands: createMangoCommands({ ...config.mango, log: log.child({ module: "mango" }) }),
      calls: () => ingest?.calls() ?? null,
    };
    // Mango's base URL is fixed (ARCHITECTURE §10): its paths land at /webhooks/mango/events/call, …
    webhooks.push({
      prefix: "/webhooks/mango",
      plugin: async (app) => {
        await app.register(mangoWebhooks, options);
      },
    });
    pbx.push(PBX_IDS.mango);
  }
  webhooks.push({
    prefix: "/bridge",
    plugin: async (app) => {
      await app.register(commandRoutes, { token: target.token, targets, log });
    },
  });
  if (config.genesys) {
    const adapter = startGenesysAdapter({
      ...config.genesys,
      pbxId: PBX_IDS.genesys,
      onEvent: (event) => publisher.publish(event),
      log,
    });
    stops.push(() => adapter.stop());
    pbx.push(PBX_IDS.genesys);
  }
  return {
    publisher,
    pbx,
    webhooks,
    stats: () => ({ publisher: publisher.stats(), asterisk: asterisk?.stats() ?? null }),
    async close() {
      await Promise.all(stops.map((stop) => stop()));
      await publisher.close();
    },
  };
}
