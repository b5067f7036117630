import { FileUploadQuery, Id, StoredFile } from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import {
  MAX_FILE_BYTES,
  cleanContentType,
  contentDisposition,
  openFile,
  saveFile,
  tooLarge,
} from "./service.ts";
import { fsFileStore } from "./store.ts";

const tags = ["files"];

/**
 * `POST /files?name=…` takes the file itself as the body (any content type, at most 20 MiB) and answers
 * with its id, which a `file` custom field then references; `GET /files/:id` downloads it.
 */
export const fileRoutes =
  ({ db, config }: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = db.knex;
    const store = fsFileStore(config.filesDir);

    // In this plugin only: leave every body unparsed, so the upload streams to the store as it arrives.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));

    app.post(
      "/files",
      { schema: { tags, querystring: FileUploadQuery, response: { 201: StoredFile } } },
      async (req, reply) => {
        const p = principalOf(req);
        try {
          if (Number(req.headers["content-length"] ?? 0) > MAX_FILE_BYTES) {
            throw tooLarge();
          }
          const file = await saveFile(knex, store, p, {
            name: req.query.name,
            contentType: cleanContentType(req.headers["content-type"]),
            content: req.raw,
          });
          return await reply.status(201).send(file);
        } catch (err) {
          // The rest of a refused upload is never read, so the connection cannot carry another request.
          void reply.header("connection", "close");
          throw err;
        }
      },
    );

    // Any signed-in user may download a file whose id they know: ids are random and only records show them.
    app.get("/files/:id", { schema: { tags, params: z.strictObject({ id: Id }) } }, async (req, reply) => {
      principalOf(req);
      const { row, content } = await openFile(knex, store, req.params.id);
      return reply
        .header("content-type", row.content_type)
        .header("content-length", row.size)
        .header("content-disposition", contentDisposition(row.name))
        .send(content);
    });
  };
