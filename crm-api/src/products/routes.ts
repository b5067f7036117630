import { Id, Product, ProductCreate, ProductListQuery, ProductPage, ProductUpdate } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf, requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { createProduct, getProduct, listProducts, updateProduct } from "./service.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["products"];

/** The catalogue: every signed-in user reads it (to put products on deals); only administrators edit it. */
export const productRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/products",
      { schema: { tags, querystring: ProductListQuery, response: { 200: ProductPage } } },
      async (req) => {
        principalOf(req);
        return listProducts(knex, req.query);
      },
    );

    app.get(
      "/products/:id",
      { schema: { tags, params: IdParams, response: { 200: Product } } },
      async (req) => {
        principalOf(req);
        return getProduct(knex, req.params.id);
      },
    );

    app.post(
      "/products",
      { schema: { tags, body: ProductCreate, response: { 201: Product } } },
      async (req, reply) => reply.status(201).send(await createProduct(knex, requireAdmin(req), req.body)),
    );

    app.patch(
      "/products/:id",
      { schema: { tags, params: IdParams, body: ProductUpdate, response: { 200: Product } } },
      async (req) => updateProduct(knex, requireAdmin(req), req.params.id, req.body),
    );
  };
