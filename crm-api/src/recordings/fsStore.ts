import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { assertSafeKey, type RecordingStore } from "./store.ts";

/** fsync a file or a directory: a recording the bridge was told is stored must survive a power cut. */
async function sync(target: string, flags: "r" | "r+"): Promise<void> {
  const handle = await open(target, flags);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Recordings as files under `dir` (RECORDINGS_DIR, default DATA_DIR/recordings), at `<yyyy>/<mm>/<name>`
 * as the key says. A put writes a temporary file beside the target, fsyncs it and renames it into place,
 * so a reader sees either nothing or the whole file.
 */
export function fsRecordingStore(dir: string): RecordingStore {
  const pathOf = (key: string) => {
    assertSafeKey(key);
    return path.join(dir, key);
  };
  return {
    async put(key, content) {
      const target = pathOf(key);
      const partial = `${target}.${randomUUID()}.part`;
      await mkdir(path.dirname(target), { recursive: true });
      try {
        await pipeline(content, createWriteStream(partial, { flags: "wx" }));
        await sync(partial, "r+");
        await rename(partial, target);
        await sync(path.dirname(target), "r");
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
      return { size: (await stat(target)).size };
    },
    async stat(key) {
      try {
        const s = await stat(pathOf(key));
        return s.isFile() ? { size: s.size } : null;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
          return null;
        }
        throw err;
      }
    },
    async read(key, range) {
      const stream = createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
      // A missing file rejects here rather than failing mid-response.
      await new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
      });
      return stream;
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}
