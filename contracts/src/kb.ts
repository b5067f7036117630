import { z } from "zod";
import { Id, Text } from "./common.ts";
import { RoleCode } from "./roles.ts";

/** A knowledge-base section («Доставка», «Гарантия»). */
export const KbCategory = z.object({
  id: Id,
  name: z.string(),
  sort: z.number().int(),
  articleCount: z.number().int(),
});
export type KbCategory = z.infer<typeof KbCategory>;

export const KbCategoryInput = z.strictObject({
  name: Text(200),
  sort: z.number().int().min(0).max(1_000_000).optional(),
});
export type KbCategoryInput = z.infer<typeof KbCategoryInput>;

const articleFields = {
  title: Text(300),
  /** Markdown. */
  bodyMd: z.string().max(200_000),
  categoryId: Id.nullable().optional(),
  /** Roles that may read the article; empty or absent = every role. Administrators and supervisors read all. */
  roles: z.array(RoleCode).max(5).optional(),
  /** Drafts are seen only by administrators and supervisors. */
  isPublished: z.boolean().optional(),
  /** Uploaded files (POST /files) shown under the article, in this order. */
  attachmentIds: z.array(Id).max(50).optional(),
};

export const KbArticleCreate = z.strictObject(articleFields);
export type KbArticleCreate = z.infer<typeof KbArticleCreate>;
export const KbArticleUpdate = z.strictObject({
  ...articleFields,
  title: Text(300).optional(),
  bodyMd: z.string().max(200_000).optional(),
});
export type KbArticleUpdate = z.infer<typeof KbArticleUpdate>;

export const KbAttachment = z.object({
  fileId: Id,
  name: z.string(),
  contentType: z.string(),
  size: z.number(),
});
export type KbAttachment = z.infer<typeof KbAttachment>;

export const KbArticle = z.object({
  id: Id,
  title: z.string(),
  bodyMd: z.string(),
  categoryId: Id.nullable(),
  roles: z.array(RoleCode),
  isPublished: z.boolean(),
  attachments: z.array(KbAttachment),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type KbArticle = z.infer<typeof KbArticle>;

/** An article in a list: no body. */
export const KbArticleSummary = KbArticle.pick({
  id: true,
  title: true,
  categoryId: true,
  roles: true,
  isPublished: true,
  updatedAt: true,
});
export type KbArticleSummary = z.infer<typeof KbArticleSummary>;

export const KbArticleListQuery = z.strictObject({ categoryId: Id.optional() });
export const KbArticleList = z.object({ items: z.array(KbArticleSummary) });

/** GET /kb/search?q=: words of the query in any form, with one typo each. */
export const KbSearchQuery = z.strictObject({
  q: z.string().trim().min(1).max(200),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type KbSearchQuery = z.infer<typeof KbSearchQuery>;

export const KbSearchHit = z.object({
  id: Id,
  title: z.string(),
  categoryId: Id.nullable(),
  /**
   * Body fragments around the matches, HTML-escaped, matches wrapped in `<mark>`…`</mark>` (the only
   * markup in it), fragments joined with « … ».
   */
  snippet: z.string(),
  /** True when the title itself matches: such hits come first. */
  isTitleMatch: z.boolean(),
  rank: z.number(),
});
export type KbSearchHit = z.infer<typeof KbSearchHit>;
export const KbSearchResult = z.object({ items: z.array(KbSearchHit) });
export type KbSearchResult = z.infer<typeof KbSearchResult>;
