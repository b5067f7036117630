import type { KbArticle, KbArticleSummary, KbAttachment, KbCategory, RoleCode } from "@okno/contracts";
import type { Knex } from "knex";
import { iso } from "../cursor.ts";

type Db = Knex | Knex.Transaction;

export interface ArticleRow {
  id: string;
  title: string;
  body_md: string;
  category_id: string | null;
  roles: RoleCode[];
  is_published: boolean;
  created_at: Date;
  updated_at: Date;
}

export const toArticleSummary = (row: ArticleRow): KbArticleSummary => ({
  id: row.id,
  title: row.title,
  categoryId: row.category_id,
  roles: row.roles,
  isPublished: row.is_published,
  updatedAt: iso(row.updated_at),
});

export const toArticle = (row: ArticleRow, attachments: KbAttachment[]): KbArticle => ({
  ...toArticleSummary(row),
  bodyMd: row.body_md,
  attachments,
  createdAt: iso(row.created_at),
});

const ARTICLE_COLUMNS = [
  "a.id",
  "a.title",
  "a.body_md",
  "a.category_id",
  "a.roles",
  "a.is_published",
  "a.created_at",
  "a.updated_at",
];

export const selectArticles = (db: Db) => db("kb_articles as a").select(ARTICLE_COLUMNS);

export async function findAttachments(db: Db, articleId: string): Promise<KbAttachment[]> {
  const rows = await db("kb_attachments as k")
    .join("files as f", "f.id", "k.file_id")
    .where("k.article_id", articleId)
    .orderBy("k.position")
    .select<{ id: string; name: string; content_type: string; size: number }[]>(
      "f.id",
      "f.name",
      "f.content_type",
      "f.size",
    );
  return rows.map((r) => ({ fileId: r.id, name: r.name, contentType: r.content_type, size: Number(r.size) }));
}

export async function replaceAttachments(db: Db, articleId: string, fileIds: string[]): Promise<void> {
  await db("kb_attachments").where("article_id", articleId).delete();
  if (fileIds.length > 0) {
    await db("kb_attachments").insert(
      fileIds.map((fileId, position) => ({ article_id: articleId, file_id: fileId, position })),
    );
  }
}

export interface ArticleColumns {
  title?: string;
  body_md?: string;
  category_id?: string | null;
  roles?: string[];
  is_published?: boolean;
  created_by?: string;
  updated_by?: string;
}

export async function insertArticle(db: Db, columns: ArticleColumns): Promise<string> {
  const [row] = await db("kb_articles").insert(columns).returning<{ id: string }[]>("id");
  return row!.id;
}

export async function updateArticle(db: Db, id: string, columns: ArticleColumns): Promise<void> {
  await db("kb_articles")
    .where("id", id)
    .update({ ...columns, updated_at: db.fn.now() });
}

export async function listCategories(db: Db, readable: Knex.QueryBuilder): Promise<KbCategory[]> {
  const counts = readable
    .clone()
    .clearSelect()
    .select("a.category_id")
    .count("* as n")
    .groupBy("a.category_id");
  const rows = await db("kb_categories as c")
    .leftJoin(counts.as("k"), "k.category_id", "c.id")
    .orderBy([{ column: "c.sort" }, { column: "c.name" }])
    .select<{ id: string; name: string; sort: number; n: number | string | null }[]>(
      "c.id",
      "c.name",
      "c.sort",
      "k.n",
    );
  return rows.map((r) => ({ id: r.id, name: r.name, sort: r.sort, articleCount: Number(r.n ?? 0) }));
}
