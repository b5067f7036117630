import {
  Id,
  KbArticle,
  KbArticleCreate,
  KbArticleList,
  KbArticleListQuery,
  KbArticleUpdate,
  KbCategory,
  KbCategoryInput,
  KbSearchQuery,
  KbSearchResult,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { searchArticles } from "./search.ts";
import {
  changeArticle,
  createArticle,
  getArticle,
  listArticles,
  listKbCategories,
  removeArticle,
  removeCategory,
  saveCategory,
} from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["kb"];

/**
 * The knowledge base: everyone reads the articles meant for their role (search included, from the call
 * screen); administrators and supervisors write them.
 */
export const kbRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/kb/search",
      { schema: { tags, querystring: KbSearchQuery, response: { 200: KbSearchResult } } },
      async (req) => ({ items: await searchArticles(knex, principalOf(req), req.query) }),
    );

    app.get(
      "/kb/categories",
      { schema: { tags, response: { 200: z.object({ items: z.array(KbCategory) }) } } },
      async (req) => ({ items: await listKbCategories(knex, principalOf(req)) }),
    );
    app.post(
      "/kb/categories",
      { schema: { tags, body: KbCategoryInput, response: { 201: KbCategory } } },
      async (req, reply) => reply.status(201).send(await saveCategory(knex, principalOf(req), req.body)),
    );
    app.patch(
      "/kb/categories/:id",
      { schema: { tags, params: IdParams, body: KbCategoryInput, response: { 200: KbCategory } } },
      async (req) => saveCategory(knex, principalOf(req), req.body, req.params.id),
    );
    app.delete("/kb/categories/:id", { schema: { tags, params: IdParams } }, async (req, reply) => {
      await removeCategory(knex, principalOf(req), req.params.id);
      return reply.status(204).send();
    });

    app.get(
      "/kb/articles",
      { schema: { tags, querystring: KbArticleListQuery, response: { 200: KbArticleList } } },
      async (req) => ({ items: await listArticles(knex, principalOf(req), req.query.categoryId) }),
    );
    app.get(
      "/kb/articles/:id",
      { schema: { tags, params: IdParams, response: { 200: KbArticle } } },
      async (req) => getArticle(knex, principalOf(req), req.params.id),
    );
    app.post(
      "/kb/articles",
      { schema: { tags, body: KbArticleCreate, response: { 201: KbArticle } } },
      async (req, reply) => reply.status(201).send(await createArticle(knex, principalOf(req), req.body)),
    );
    app.patch(
      "/kb/articles/:id",
      { schema: { tags, params: IdParams, body: KbArticleUpdate, response: { 200: KbArticle } } },
      async (req) => changeArticle(knex, principalOf(req), req.params.id, req.body),
    );
    app.delete("/kb/articles/:id", { schema: { tags, params: IdParams } }, async (req, reply) => {
      await removeArticle(knex, principalOf(req), req.params.id);
      return reply.status(204).send();
    });
  };
