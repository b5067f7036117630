import type {
  KbArticle,
  KbArticleCreate,
  KbArticleSummary,
  KbArticleUpdate,
  KbCategory,
  KbCategoryInput,
} from "@okno/contracts";
import type { Knex } from "knex";
import { auditChange } from "../audit/recordAudit.ts";
import type { Principal } from "../auth/principal.ts";
import { badRequest, conflict, notFound } from "../errors.ts";
import { requireKbEditor, whereReadable } from "./access.ts";
import {
  findAttachments,
  insertArticle,
  listCategories,
  replaceAttachments,
  selectArticles,
  toArticle,
  toArticleSummary,
  updateArticle,
  type ArticleColumns,
  type ArticleRow,
} from "./repo.ts";

const articleNotFound = () => notFound("article");

export function listKbCategories(db: Knex, p: Principal): Promise<KbCategory[]> {
  return listCategories(db, whereReadable(db("kb_articles as a"), p));
}

export async function listArticles(db: Knex, p: Principal, categoryId?: string): Promise<KbArticleSummary[]> {
  const q = whereReadable(selectArticles(db), p).orderBy([{ column: "a.title" }, { column: "a.id" }]);
  if (categoryId) {
    q.where("a.category_id", categoryId);
  }
  return ((await q) as ArticleRow[]).map(toArticleSummary);
}

/** An article the user may read; 404 for one they may not, so its existence does not leak. */
export async function getArticle(db: Knex | Knex.Transaction, p: Principal, id: string): Promise<KbArticle> {
  const row = (await whereReadable(selectArticles(db).where("a.id", id), p).first()) as
    ArticleRow | undefined;
  if (!row) {
    throw articleNotFound();
  }
  return toArticle(row, await findAttachments(db, id));
}

async function assertReferences(db: Knex.Transaction, input: KbArticleUpdate): Promise<void> {
  if (input.categoryId && !(await db("kb_categories").where("id", input.categoryId).first("id"))) {
    throw badRequest("unknown category", { "body.categoryId": "no such category" });
  }
  const ids = input.attachmentIds ?? [];
  if (new Set(ids).size !== ids.length) {
    throw badRequest("a file is attached twice", { "body.attachmentIds": "each file once" });
  }
  const found = ids.length ? ((await db("files").whereIn("id", ids).pluck("id")) as string[]) : [];
  ids.forEach((id, i) => {
    if (!found.includes(id)) {
      throw badRequest("unknown file", { [`body.attachmentIds.${i}`]: "no such uploaded file" });
    }
  });
}

const toColumns = (input: KbArticleUpdate): ArticleColumns => ({
  title: input.title,
  body_md: input.bodyMd,
  category_id: input.categoryId,
  roles: input.roles ? [...new Set(input.roles)] : undefined,
  is_published: input.isPublished,
});

export async function createArticle(db: Knex, p: Principal, input: KbArticleCreate): Promise<KbArticle> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    await assertReferences(trx, input);
    const id = await insertArticle(trx, { ...toColumns(input), created_by: p.userId, updated_by: p.userId });
    await replaceAttachments(trx, id, input.attachmentIds ?? []);
    const article = await getArticle(trx, p, id);
    await auditChange(trx, p, "kb_articles", null, article);
    return article;
  });
}

export async function changeArticle(
  db: Knex,
  p: Principal,
  id: string,
  input: KbArticleUpdate,
): Promise<KbArticle> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    if (!(await trx("kb_articles").where("id", id).forUpdate().first("id"))) {
      throw articleNotFound();
    }
    await assertReferences(trx, input);
    const before = await getArticle(trx, p, id);
    await updateArticle(trx, id, { ...toColumns(input), updated_by: p.userId });
    if (input.attachmentIds) {
      await replaceAttachments(trx, id, input.attachmentIds);
    }
    const after = await getArticle(trx, p, id);
    await auditChange(trx, p, "kb_articles", before, after);
    return after;
  });
}

export async function removeArticle(db: Knex, p: Principal, id: string): Promise<void> {
  requireKbEditor(p);
  await db.transaction(async (trx) => {
    const before = await getArticle(trx, p, id);
    await trx("kb_articles").where("id", id).delete();
    await auditChange(trx, p, "kb_articles", before, null);
  });
}

export async function saveCategory(
  db: Knex,
  p: Principal,
  input: KbCategoryInput,
  id?: string,
): Promise<KbCategory> {
  requireKbEditor(p);
  return db.transaction(async (trx) => {
    const clash = await trx("kb_categories")
      .where("name", input.name)
      .whereNot("id", id ?? null)
      .first<{ id: string } | undefined>("id");
    if (clash) {
      throw conflict("a category with this name exists", { "body.name": "already used" });
    }
    const before = id
      ? await trx("kb_categories")
          .where("id", id)
          .forUpdate()
          .first<{ id: string } | undefined>("id", "name", "sort")
      : null;
    if (id && !before) {
      throw notFound("category");
    }
    const [row] = id
      ? await trx("kb_categories")
          .where("id", id)
          .update({ name: input.name, sort: input.sort, updated_at: trx.fn.now() })
          .returning<{ id: string; name: string; sort: number }[]>(["id", "name", "sort"])
      : await trx("kb_categories")
          .insert({ name: input.name, sort: input.sort ?? 0 })
          .returning<{ id: string; name: string; sort: number }[]>(["id", "name", "sort"]);
    const category = { id: row!.id, name: row!.name, sort: row!.sort };
    await auditChange(trx, p, "kb_categories", before ?? null, category);
    const [count] = await trx("kb_articles").where("category_id", row!.id).count<{ n: number }[]>("* as n");
    return { ...category, articleCount: Number(count?.n ?? 0) };
  });
}

export async function removeCategory(db: Knex, p: Principal, id: string): Promise<void> {
  requireKbEditor(p);
  await db.transaction(async (trx) => {
    const before = await trx("kb_categories")
      .where("id", id)
      .first<{ id: string } | undefined>("id", "name", "sort");
    if (!before) {
      throw notFound("category");
    }
    // Articles stay, without a category (the foreign key sets it null).
    await trx("kb_categories").where("id", id).delete();
    await auditChange(trx, p, "kb_categories", before, null);
  });
}
