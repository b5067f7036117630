// The Mango Office adapter's public surface: the webhook plugin (mounted at /webhooks/mango) and the
// commands client. Vendor payload shapes stay inside this folder.
export {
  mangoWebhooks,
  type MangoCommandResult,
  type MangoWebhookOptions,
  type MangoWebhookStats,
} from "./webhook.ts";
export { createMangoIngest, type IngestOutcome, type MangoIngest, type MangoIngestStats } from "./ingest.ts";
export { createMangoCommands, toMangoNumber, type CommandAccepted, type MangoCommands } from "./commands.ts";
export { MangoApiError, type MangoErrorKind } from "./mangoHttp.ts";
export type { RecordingDownload } from "./recording.ts";
