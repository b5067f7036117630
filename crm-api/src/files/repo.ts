import type { StoredFile } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";

export interface FileRow {
  id: string;
  name: string;
  content_type: string;
  size: number;
  sha256: string;
  storage_key: string;
  uploaded_by: string | null;
  created_at: Date;
}

export function toStoredFile(row: FileRow): StoredFile {
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    size: Number(row.size),
    sha256: row.sha256,
    uploadedBy: row.uploaded_by,
    createdAt: iso(row.created_at),
  };
}

export async function insertFile(
  db: Knex | Knex.Transaction,
  row: Omit<FileRow, "created_at">,
): Promise<FileRow> {
  const [inserted] = await db("files").insert(row).returning<FileRow[]>("*");
  return inserted!;
}

export function findFileRow(db: Knex | Knex.Transaction, id: string): Promise<FileRow | undefined> {
  return db("files").where("id", id).first();
}
