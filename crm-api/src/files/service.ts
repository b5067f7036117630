import { createHash, randomUUID } from "node:crypto";
import { Transform, type Readable } from "node:stream";
import type { StoredFile } from "@okno/contracts";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { AppError, notFound } from "../errors.ts";
import { findFileRow, insertFile, toStoredFile, type FileRow } from "./repo.ts";
import type { FileStore } from "./store.ts";

/** Uploads above this are refused with 413: files here are scans and contracts, not videos. */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

const CONTENT_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

export const tooLarge = () =>
  new AppError(413, "payload_too_large", `a file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MiB`);

/** The declared media type without parameters, or octet-stream when there is none worth keeping. */
export function cleanContentType(header: string | undefined): string {
  const type = header?.split(";")[0]?.trim().toLowerCase() ?? "";
  return CONTENT_TYPE.test(type) && type.length <= 200 ? type : "application/octet-stream";
}

/**
 * Streams an upload into the store while counting and hashing it, then records it. Nothing stays behind
 * when the stream is too long or fails: the store drops its partial file, and the row is written last.
 */
export async function saveFile(
  db: Knex,
  store: FileStore,
  p: Principal,
  upload: { name: string; contentType: string; content: Readable },
): Promise<StoredFile> {
  const hash = createHash("sha256");
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > MAX_FILE_BYTES) {
        done(tooLarge());
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const id = randomUUID();
  // Not `pipeline`: that would destroy the request on overflow, and the client would see a reset, not the 413.
  upload.content.once("error", (err) => meter.destroy(err));
  await store.put(id, upload.content.pipe(meter));

  try {
    const row = await insertFile(db, {
      id,
      name: upload.name,
      content_type: upload.contentType,
      size,
      sha256: hash.digest("hex"),
      storage_key: id,
      uploaded_by: p.userId,
    });
    return toStoredFile(row);
  } catch (err) {
    await store.delete(id);
    throw err;
  }
}

/** A file's record and content, for download. */
export async function openFile(
  db: Knex,
  store: FileStore,
  id: string,
): Promise<{ row: FileRow; content: Readable }> {
  const row = await findFileRow(db, id);
  if (!row) {
    throw notFound("file");
  }
  return { row, content: await store.get(row.storage_key) };
}

/** `attachment` always (an uploaded page must never render on our origin), with the UTF-8 name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  // RFC 5987: encodeURIComponent leaves ' ( ) * as they are, which the ext-value grammar does not allow.
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
