import { SourceList, SourceQuery } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";

const tags = ["sources"];

export const sourceRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    // Sources are company settings every user picks from (wrap-up, filters): no record scope applies.
    app.get(
      "/sources",
      { schema: { tags, querystring: SourceQuery, response: { 200: SourceList } } },
      async (req) => {
        principalOf(req);
        const query = db.knex("sources").orderBy("name");
        if (req.query.active === "true") {
          void query.where("is_active", true);
        }
        const rows = await query.select<
          { id: string; name: string; utm_source: string | null; is_active: boolean }[]
        >("id", "name", "utm_source", "is_active");
        return {
          items: rows.map((r) => ({
            id: r.id,
            name: r.name,
            utmSource: r.utm_source,
            isActive: r.is_active,
          })),
        };
      },
    );
  };
