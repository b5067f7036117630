// What the one-process launcher (start.ts) uses; crm-api never imports the bridge.
export { PBX_IDS, startBridge, type Bridge } from "./bridge.ts";
export { loadConfig, type BridgeConfig } from "./config.ts";
export { createLogger, type Logger } from "./log.ts";
export { openPublisher, type Publisher, type PublisherStats } from "./publish.ts";
