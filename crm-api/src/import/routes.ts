import { Id, ImportQuery, ImportRun } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { badRequest } from "../errors.ts";
import { CSV_TYPE, XLSX_TYPE } from "./readFile.ts";
import { getImportRun, startImport } from "./service.ts";

export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;

/**
 * Types a spreadsheet upload arrives with. Browsers on Windows label a .csv as application/vnd.ms-excel, so
 * the label only lets the bytes in; what they are is decided from the bytes (readFile.ts).
 */
const UPLOAD_TYPES = [
  XLSX_TYPE,
  CSV_TYPE,
  "application/csv",
  "application/vnd.ms-excel",
  "application/octet-stream",
];

const tags = ["imports"];

export const importRoutes =
  ({ db, log }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;
    const running = new Set<Promise<void>>();
    // Shutting down waits for background imports: a half-written batch would roll back anyway, but the
    // run would be left "running" until it goes stale.
    app.addHook("onClose", async () => {
      await Promise.allSettled(running);
    });
    const runInBackground = (task: () => Promise<void>) => {
      const promise = task().finally(() => running.delete(promise));
      running.add(promise);
    };

    app.addContentTypeParser(
      UPLOAD_TYPES,
      { parseAs: "buffer", bodyLimit: MAX_IMPORT_BYTES },
      (_req, body, done) => done(null, body),
    );

    // POST /imports?entity=contacts&dryRun=true: the body is the XLSX or CSV file itself.
    app.post(
      "/imports",
      {
        bodyLimit: MAX_IMPORT_BYTES,
        schema: {
          tags,
          querystring: ImportQuery,
          response: { 201: ImportRun, 202: ImportRun },
        },
      },
      async (req, reply) => {
        const p = principalOf(req);
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
          throw badRequest("send the file as the request body (XLSX or CSV)", {
            body: `a spreadsheet file with content-type ${XLSX_TYPE} or ${CSV_TYPE}`,
          });
        }
        const { run, finished } = await startImport(
          { db: knex, log, runInBackground },
          p,
          req.query,
          req.body,
        );
        return reply.status(finished ? 201 : 202).send(run);
      },
    );

    app.get(
      "/imports/:id",
      { schema: { tags, params: z.strictObject({ id: Id }), response: { 200: ImportRun } } },
      async (req) => getImportRun(knex, principalOf(req), req.params.id),
    );
  };
