import path from "node:path";
import type { BridgeConfig } from "../config.ts";
import type { Logger } from "../log.ts";
import { createMangoCommands } from "../mango/index.ts";
import type { Publisher } from "../publish.ts";
import type { CrmTarget } from "./putRecording.ts";
import { ariSource, asteriskFileSource, mangoSource, type RecordingSource } from "./sources.ts";
import { openRecordingUploader, type RecordingUploader } from "./uploader.ts";

/** The PBX connection ids (bridge.ts PBX_IDS), the `pbx` of their events. */
type PbxIds = { asterisk: string; mango: string };

export { openRecordingUploader, type RecordingUploader } from "./uploader.ts";

/**
 * How each configured PBX's recordings are fetched: Asterisk from ASTERISK_RECORDINGS_DIR when set, else
 * through ARI when ARI_URL is; Mango through its 302 link. Genesys recordings are not fetched yet.
 */
export function recordingSourcesOf(
  config: BridgeConfig,
  log: Logger,
  pbxIds: PbxIds,
): Record<string, RecordingSource> {
  const sources: Record<string, RecordingSource> = {};
  const asterisk = config.asterisk;
  if (asterisk?.recordingsDir) {
    sources[pbxIds.asterisk] = asteriskFileSource(asterisk.recordingsDir);
  } else if (asterisk?.ariUrl) {
    sources[pbxIds.asterisk] = ariSource(asterisk.ariUrl);
  }
  if (config.mango) {
    const commands = createMangoCommands({ ...config.mango, log: log.child({ module: "mango" }) });
    sources[pbxIds.mango] = mangoSource(commands);
  }
  return sources;
}

/** The uploader for the configured PBXs, with its outbox in DATA_DIR/recordings-outbox; null if none records. */
export async function openBridgeRecordings(
  config: BridgeConfig,
  log: Logger,
  target: CrmTarget,
  pbxIds: PbxIds,
): Promise<RecordingUploader | null> {
  const sources = recordingSourcesOf(config, log, pbxIds);
  if (Object.keys(sources).length === 0) {
    return null;
  }
  const outboxDir = path.join(config.dataDir, "recordings-outbox");
  return openRecordingUploader({ target, outboxDir, sources, log });
}

/**
 * The publisher with recordings riding along: every published event is also shown to the uploader, which
 * starts and stops with the publisher. (So the bridge wires recordings in with one line.)
 *
 * A recording.ready is spooled only once its upload job is on disk. The other order had a window: a
 * crash after the event was spooled but before the job was written left crm-api told of a recording that
 * nothing would ever fetch. In this order a crash in between leaves a job without its event, and the
 * upload links the recording by itself (crm-api takes the file before or after its recording.ready).
 * The event may then reach crm-api after later events of its call, which crm-api's merge allows.
 */
export function withRecordings(publisher: Publisher, uploader: RecordingUploader | null): Publisher {
  if (!uploader) {
    return publisher;
  }
  const held = new Set<Promise<void>>();
  return {
    ...publisher,
    publish(event) {
      const saved = uploader.observe(event);
      if (!saved) {
        publisher.publish(event);
        return;
      }
      const spooled = saved.then(() => publisher.publish(event));
      held.add(spooled);
      void spooled.finally(() => held.delete(spooled));
    },
    start() {
      publisher.start();
      uploader.start();
    },
    async drain(timeoutMs) {
      await Promise.allSettled(held);
      return publisher.drain(timeoutMs);
    },
    async close() {
      await Promise.allSettled(held);
      await uploader.close();
      await publisher.close();
    },
  };
}
