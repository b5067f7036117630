import type { Readable } from "node:stream";

/** Bytes `start` to `end` of a file, both inclusive (as in HTTP `Content-Range`). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where recording files live, by key. The filesystem store is the embedded default (fsStore.ts); an
 * S3-compatible store implements the same four calls (put = multipart upload, read = ranged GetObject),
 * which is why reading takes a byte range instead of a seekable handle.
 */
export interface RecordingStore {
  /**
   * Stores the stream under the key, all or nothing: a failed or aborted stream leaves no object
   * behind, and a reader never sees a half-written one.
   */
  put(key: string, content: Readable, meta: { contentType: string }): Promise<{ size: number }>;
  /** The object's size, or null when the key holds nothing. */
  stat(key: string): Promise<{ size: number } | null>;
  /** The whole object, or one byte range of it; rejects when the key holds nothing. */
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removes the object; nothing happens when there is none. */
  delete(key: string): Promise<void>;
}

/**
 * Keys are made by crm-api ("2026/11/<uuid>.wav", see recordingKey), never taken from a request; the
 * pattern still guards every path a store builds from one, so a key can never leave the store.
 */
const SAFE_KEY = /^\d{4}\/\d{2}\/[a-z0-9][a-z0-9-]{0,63}(\.[a-z0-9]{1,8})?$/;

export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key)) {
    throw new Error(`invalid recording key ${JSON.stringify(key)}`);
  }
}

const EXTENSIONS: Record<string, string> = {
  "audio/wav": "wav",
  "audio/mpeg": "mp3",
  "audio/ogg": "ogg",
  "application/octet-stream": "bin",
};

/** A fresh key for a recording stored at `at`: year and month folders keep directories small. */
export function recordingKey(at: Date, id: string, contentType: string): string {
  const year = String(at.getUTCFullYear());
  const month = String(at.getUTCMonth() + 1).padStart(2, "0");
  return `${year}/${month}/${id}.${EXTENSIONS[contentType] ?? "bin"}`;
}
