import { AuditListQuery, AuditPage, AuditRecordQuery, Id, type ScopedEntity } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { assertRecordInScope } from "../access/scope.ts";
import { principalOf, requireAdmin } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { notFound } from "../errors.ts";
import { pageAudit, toAuditItem } from "./repo.ts";

const IdParams = z.strictObject({ id: Id });
const tags = ["audit"];

/** Records whose history their readers may see; the noun names the record in a 404. */
const RECORDS = {
  contacts: "contact",
  companies: "company",
  leads: "lead",
  deals: "deal",
  tasks: "task",
} as const satisfies Partial<Record<ScopedEntity, string>>;

/**
 * The audit log is read-only through the API: only GET routes exist, so any other method on /audit
 * answers 404. Administrators search the whole log (deleted records included); everyone else reads the
 * history of a record they can see, without client addresses.
 */
export const auditRoutes =
  ({ db }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;

    app.get(
      "/audit",
      { schema: { tags, querystring: AuditListQuery, response: { 200: AuditPage } } },
      async (req) => {
        requireAdmin(req);
        const { limit, cursor, ...filters } = req.query;
        const page = await pageAudit(knex, filters, limit, cursor);
        return { items: page.rows.map((r) => toAuditItem(r, true)), nextCursor: page.nextCursor };
      },
    );

    for (const [entity, noun] of Object.entries(RECORDS) as [keyof typeof RECORDS, string][]) {
      app.get(
        `/${entity}/:id/audit`,
        { schema: { tags, params: IdParams, querystring: AuditRecordQuery, response: { 200: AuditPage } } },
        async (req) => {
          const p = principalOf(req);
          await assertRecordInScope(knex, p, entity, entity, req.params.id, notFound(noun));
          const { limit, cursor } = req.query;
          const page = await pageAudit(knex, { entity, recordId: req.params.id }, limit, cursor);
          const withIp = p.permissions.canAdminister;
          return { items: page.rows.map((r) => toAuditItem(r, withIp)), nextCursor: page.nextCursor };
        },
      );
    }
  };
