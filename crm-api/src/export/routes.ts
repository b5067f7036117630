import { ContactListQuery, exportQuery, TaskListQuery, type ExportFormat } from "@okno/contracts";
import type { FastifyReply } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Knex } from "knex";
import { whereInScope } from "../access/scope.ts";
import { principalOf } from "../auth/plugin.ts";
import type { Principal } from "../auth/principal.ts";
import { listContacts } from "../contacts/list.ts";
import type { AppContext } from "../context.ts";
import { pageBy } from "../listing.ts";
import { selectTasks, taskSort, toTask, whereTaskFilters, type TaskRow } from "../tasks/repo.ts";
import { contactColumns, taskColumns } from "./exportColumns.ts";
import { csvStream, xlsxStream, type ExportColumn } from "./writeTable.ts";

/** Rows fetched per keyset page while exporting. */
const PAGE = 1000;

type Page<T> = { items: T[]; nextCursor: string | null };

/**
 * Every page of a list: the first is fetched before the response starts (so a bad filter or a missing
 * scope is still a JSON 400/403), the rest while the file streams out.
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
  o: { name: string; sheet: string; format: ExportFormat; columns: ExportColumn<T>[] },
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
) {
  const pages = await allPages(fetchPage);
  const date = new Date().toISOString().slice(0, 10);
  const file = `${o.name}-${date}.${o.format}`;
  void reply.header("content-disposition", `attachment; filename="${file}"`);
  if (o.format === "csv") {
    return reply.type("text/csv; charset=utf-8").send(csvStream(o.columns, pages));
  }
  return reply
    .type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    .send(xlsxStream(o.sheet, o.columns, pages));
}

/** Names of all users for the «Ответственный» column: one small query instead of one per row. */
async function userNames(db: Knex): Promise<(id: string) => string> {
  const rows = await db("users").select<{ id: string; full_name: string }[]>("id", "full_name");
  const names = new Map(rows.map((r) => [r.id, r.full_name]));
  return (id) => names.get(id) ?? "";
}

/** One page of the tasks list exactly as GET /tasks builds it (routes.ts composes the same repo pieces). */
function taskPage(db: Knex, p: Principal, query: TaskListQuery) {
  return async (cursor: string | undefined) => {
    const q = whereTaskFilters(whereInScope(selectTasks(db), db, p, "tasks", "t.owner_id"), query);
    const page = await pageBy<TaskRow>(q, "t.id", taskSort(query.sort), PAGE, cursor);
    return { items: page.rows.map(toTask), nextCursor: page.nextCursor };
  };
}

const ContactExportQuery = exportQuery(ContactListQuery);
const TaskExportQuery = exportQuery(TaskListQuery);
const tags = ["export"];

/**
 * Lists as files (XLSX or CSV), with the same filters and sort as the list endpoints and the same scope:
 * the list functions do the querying, page by page. Companies, leads and deals keep their list logic in
 * their routes.ts, so they get an export when it moves into a list function like contacts/list.ts.
 */
export const exportRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get("/contacts/export", { schema: { tags, querystring: ContactExportQuery } }, async (req, reply) => {
      const p = principalOf(req);
      const { format, list } = req.query;
      const columns = contactColumns(await userNames(knex));
      return sendExport(reply, { name: "contacts", sheet: "Контакты", format, columns }, (cursor) =>
        listContacts(knex, p, { ...list, limit: PAGE, cursor } as typeof list),
      );
    });

    app.get("/tasks/export", { schema: { tags, querystring: TaskExportQuery } }, async (req, reply) => {
      const p = principalOf(req);
      const { format, list } = req.query;
      return sendExport(
        reply,
        { name: "tasks", sheet: "Задачи", format, columns: taskColumns },
        taskPage(knex, p, list),
      );
    });
  };
