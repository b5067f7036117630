import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/**
 * Where file contents live, by key. The filesystem is the embedded default; an S3-compatible store can
 * replace it behind the same three calls.
 */
export interface FileStore {
  /** Stores the stream under the key; a failed or aborted stream leaves nothing behind. */
  put(key: string, content: Readable): Promise<void>;
  /** The content; rejects when the key holds nothing. */
  get(key: string): Promise<Readable>;
  delete(key: string): Promise<void>;
}

const SAFE_KEY = /^[a-z0-9-]+$/;

function resolveKey(dir: string, key: string): string {
  // Keys are ours (uuids), but a path built from one must never leave the directory.
  if (!SAFE_KEY.test(key)) {
    throw new Error(`invalid file key ${key}`);
  }
  return path.join(dir, key);
}

/** Files in one directory (DATA_DIR/files), created on first use; written to a temporary name, then renamed. */
export function fsFileStore(dir: string): FileStore {
  return {
    async put(key, content) {
      const target = resolveKey(dir, key);
      const partial = `${target}.part`;
      await mkdir(dir, { recursive: true });
      try {
        await pipeline(content, createWriteStream(partial, { flags: "wx" }));
        await rename(partial, target);
      } catch (err) {
        await rm(partial, { force: true });
        throw err;
      }
    },
    async get(key) {
      const stream = createReadStream(resolveKey(dir, key));
      // Surface a missing file as a rejection here rather than as an error event mid-response.
      await new Promise<void>((resolve, reject) => {
        stream.once("open", () => resolve());
        stream.once("error", reject);
      });
      return stream;
    },
    async delete(key) {
      await rm(resolveKey(dir, key), { force: true });
    },
  };
}
