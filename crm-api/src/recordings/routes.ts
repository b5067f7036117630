import { Readable } from "node:stream";
import {
  Id,
  RECORDING_CONTENT_TYPES,
  Recording,
  RecordingFailure,
  RecordingUploadQuery,
  RecordingUploadResult,
} from "@okno/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { principalOf } from "../auth/plugin.ts";
import type { AppContext } from "../context.ts";
import { assertBridge } from "../cti/routes.ts";
import { fsRecordingStore } from "./fsStore.ts";
import { auditListen, authoriseListen, describeInteractionRecording } from "./listen.ts";
import { parseRange } from "./range.ts";
import {
  beginUpload,
  failUpload,
  finishUpload,
  MAX_RECORDING_BYTES,
  recordingContentType,
  recordingTooLarge,
} from "./upload.ts";

const tags = ["recordings"];
/** The PBX's recording id is one path segment, URL-encoded (a MixMonitor path holds slashes). */
const PbxParams = z.strictObject({ recordingId: z.string().min(1).max(300) });
const IdParams = z.strictObject({ id: Id });
const UPLOAD_TYPES = [...RECORDING_CONTENT_TYPES, "audio/x-wav", "audio/wave", "audio/vnd.wave", "audio/mp3"];

/**
 * Call recordings. The bridge uploads with its CTI token (`PUT /cti/recordings/:recordingId?callId=`,
 * the file as the body, or `POST …/failure` when it gives up); users find a call's recording with
 * `GET /interactions/:id/recording` and play it from `GET /recordings/:id` with HTTP Range.
 */
export const recordingRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const knex = ctx.db.knex;
    const store = fsRecordingStore(ctx.config.recordingsDir);

    // In this plugin only: audio bodies stay unparsed, so an upload streams to the store as it arrives.
    app.addContentTypeParser(UPLOAD_TYPES, (_req, _payload, done) => done(null, undefined));

    app.put(
      "/cti/recordings/:recordingId",
      {
        config: { public: true },
        onRequest: async (req) => assertBridge(ctx.config.cti.token, req),
        schema: {
          tags,
          params: PbxParams,
          querystring: RecordingUploadQuery,
          response: { 200: RecordingUploadResult, 201: RecordingUploadResult },
        },
      },
      async (req, reply) => {
        const contentType = recordingContentType(req.headers["content-type"]);
        try {
          if (Number(req.headers["content-length"] ?? 0) > MAX_RECORDING_BYTES) {
            throw recordingTooLarge();
          }
          const { row, done } = await beginUpload(knex, req.params.recordingId, req.query, contentType);
          if (done) {
            // Stored before: the body is not read, so the connection cannot carry another request.
            return await reply.header("connection", "close").status(200).send(done);
          }
          const upload = { content: req.raw, contentType, durationSec: req.query.durationSec ?? null };
          const result = await finishUpload(knex, store, row, upload);
          return await reply.status(result.duplicate ? 200 : 201).send(result);
        } catch (err) {
          void reply.header("connection", "close");
          throw err;
        }
      },
    );

    app.post(
      "/cti/recordings/:recordingId/failure",
      {
        config: { public: true },
        onRequest: async (req) => assertBridge(ctx.config.cti.token, req),
        schema: {
          tags,
          params: PbxParams,
          querystring: RecordingUploadQuery.pick({ callId: true }),
          body: RecordingFailure,
        },
      },
      async (req, reply) => {
        await failUpload(knex, req.params.recordingId, req.query.callId, req.body.reason);
        return reply.status(204).send();
      },
    );

    app.get(
      "/interactions/:id/recording",
      { schema: { tags, params: IdParams, response: { 200: Recording } } },
      async (req) => describeInteractionRecording(knex, principalOf(req), req.params.id),
    );

    app.get("/recordings/:id", { schema: { tags, params: IdParams } }, async (req, reply) => {
      const p = principalOf(req);
      const { row, interactionId } = await authoriseListen(knex, p, req.params.id);
      const size = Number(row.size_bytes);
      const wanted = parseRange(req.headers.range, size);
      void reply
        .header("accept-ranges", "bytes")
        .header("cache-control", "private")
        .header("etag", `"${row.sha256}"`)
        .header("x-content-type-options", "nosniff");
      if (wanted.kind === "unsatisfiable") {
        return reply
          .status(416)
          .header("content-range", `bytes */${size}`)
          .send({ error: { code: "invalid_request", message: `range not satisfiable for ${size} bytes` } });
      }
      const range = wanted.kind === "range" ? wanted.range : undefined;
      void reply
        .status(range ? 206 : 200)
        .header("content-type", row.content_type)
        .header("content-length", range ? range.end - range.start + 1 : size);
      if (range) {
        void reply.header("content-range", `bytes ${range.start}-${range.end}/${size}`);
      }
      // A HEAD (a player probing the size) is not a listen, and opens no file. Fastify's HEAD handler
      // rewrites Content-Length for a missing or buffer body but leaves it alone for a stream: an empty one.
      if (req.method === "HEAD") {
        return reply.send(Readable.from([]));
      }
      await auditListen(knex, p, row, interactionId);
      return reply.send(await store.read(row.storage_key, range));
    });
  };
