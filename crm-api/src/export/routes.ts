import {
  CompanyListQuery,
  ContactListQuery,
  DealListQuery,
  LeadListQuery,
  TaskListQuery,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Knex } from "knex";
import { whereInScope } from "../access/scope.ts";
import type { Principal } from "../auth/principal.ts";
import { listCompanies } from "../companies/list.ts";
import { listContacts } from "../contacts/list.ts";
import type { AppContext } from "../context.ts";
import { listDeals } from "../deals/list.ts";
import { listLeads } from "../leads/list.ts";
import { pageBy } from "../listing.ts";
import { selectTasks, taskSort, toTask, whereTaskFilters, type TaskRow } from "../tasks/repo.ts";
import { contactColumns, taskColumns } from "./exportColumns.ts";
import { registerExport } from "./exportRoute.ts";
import { companyTable, dealTable, leadTable } from "./salesColumns.ts";

/** Names of all users for the contacts' «Ответственный» column: one small query instead of one per row. */
async function userNames(db: Knex): Promise<(id: string) => string> {
  const rows = await db("users").select<{ id: string; full_name: string }[]>("id", "full_name");
  const names = new Map(rows.map((r) => [r.id, r.full_name]));
  return (id) => names.get(id) ?? "";
}

/** One page of the tasks list exactly as GET /tasks builds it (tasks/routes.ts composes the same repo pieces). */
async function listTasks(db: Knex, p: Principal, query: TaskListQuery) {
  const q = whereTaskFilters(whereInScope(selectTasks(db), db, p, "tasks", "t.owner_id"), query);
  const page = await pageBy<TaskRow>(q, "t.id", taskSort(query.sort), query.limit, query.cursor);
  return { items: page.rows.map(toTask), nextCursor: page.nextCursor };
}

/**
 * Lists as files (XLSX or CSV), with the same filters and sort as the list endpoints and the same scope:
 * each export pages through the function behind its list endpoint.
 */
export const exportRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;
    registerExport(app, knex, {
      name: "contacts",
      sheet: "Контакты",
      listQuery: ContactListQuery,
      list: listContacts,
      table: async (db) => ({ columns: contactColumns(await userNames(db)) }),
    });
    registerExport(app, knex, {
      name: "tasks",
      sheet: "Задачи",
      listQuery: TaskListQuery,
      list: listTasks,
      table: () => ({ columns: taskColumns }),
    });
    registerExport(app, knex, {
      name: "companies",
      sheet: "Компании",
      listQuery: CompanyListQuery,
      list: listCompanies,
      table: companyTable,
    });
    registerExport(app, knex, {
      name: "leads",
      sheet: "Лиды",
      listQuery: LeadListQuery,
      list: listLeads,
      table: leadTable,
    });
    registerExport(app, knex, {
      name: "deals",
      sheet: "Сделки",
      listQuery: DealListQuery,
      list: listDeals,
      table: dealTable,
    });
  };
