import { exportQuery, type ExportFormat } from "@okno/contracts";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Knex } from "knex";
import type { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { Principal } from "../auth/principal.ts";
import { csvStream, xlsxStream, type ExportTable } from "./writeTable.ts";

/** Rows fetched per keyset page while exporting. */
const PAGE = 1000;

type Page<T> = { items: T[]; nextCursor: string | null };
type App = Parameters<FastifyPluginAsyncZod>[0];

/** One list made downloadable: its query schema, its list function and its columns. */
export interface ExportSpec<Q extends object, T> {
  /** The list's path segment ("companies"): the route is /companies/export, the file companies-<date>.xlsx. */
  name: string;
  sheet: string;
  listQuery: z.ZodType<Q>;
  /** The function behind the list endpoint, so the export has exactly its filters, sort and scope. */
  list: (db: Knex, p: Principal, query: Q) => Promise<Page<T>>;
  table: (db: Knex) => ExportTable<T> | Promise<ExportTable<T>>;
}

/**
 * Every page of a list: the first is fetched before the response starts (so a bad filter or a missing
 * scope is still a JSON 400/403), the rest while the file streams out. A page is fetched only after the
 * previous one was written, which is what lets a table keep per-page state (NameBook).
 */
async function allPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<AsyncIterable<T[]>> {
  const first = await fetchPage(undefined);
  return (async function* () {
    let page = first;
    yield page.items;
    while (page.nextCursor) {
      page = await fetchPage(page.nextCursor);
      yield page.items;
    }
  })();
}

async function sendExport<T>(
  reply: FastifyReply,
  o: { name: string; sheet: string; format: ExportFormat; table: ExportTable<T> },
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
) {
  const pages = await allPages(async (cursor) => {
    const page = await fetchPage(cursor);
    await o.table.preparePage?.(page.items);
    return page;
  });
  const date = new Date().toISOString().slice(0, 10);
  const file = `${o.name}-${date}.${o.format}`;
  void reply.header("content-disposition", `attachment; filename="${file}"`);
  if (o.format === "csv") {
    return reply.type("text/csv; charset=utf-8").send(csvStream(o.table.columns, pages));
  }
  return reply
    .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    .send(xlsxStream(o.sheet, o.table.columns, pages));
}

/** GET /<name>/export?format=xlsx|csv&<the list's filters and sort>. */
export function registerExport<Q extends object, T>(app: App, db: Knex, spec: ExportSpec<Q, T>): void {
  const querystring = exportQuery(spec.listQuery);
  app.get(`/${spec.name}/export`, { schema: { tags: ["export"], querystring } }, async (req, reply) => {
    const p = principalOf(req);
    const { format, list } = req.query;
    const table = await spec.table(db);
    return sendExport(reply, { name: spec.name, sheet: spec.sheet, format, table }, (cursor) =>
      spec.list(db, p, { ...list, limit: PAGE, cursor }),
    );
  });
}
