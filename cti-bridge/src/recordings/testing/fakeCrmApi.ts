import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedUpload {
  recordingId: string;
  callId: string | null;
  authorization: string | undefined;
  contentType: string | undefined;
  contentLength: string | undefined;
  body: Buffer;
}

export interface FakeCrmApi {
  url: string;
  uploads: ReceivedUpload[];
  failures: { recordingId: string; callId: string | null; reason: string }[];
  /** Call events POSTed to /api/v1/cti/events (always accepted). */
  events: { type: string }[];
  /** PUTs seen, answered or not. */
  attempts: () => number;
  /** The body size of every PUT, refused ones included. */
  attemptSizes: number[];
  /** Answer the next `n` uploads with this status (after reading them), then 201 again. */
  failNext(n: number, status?: number): void;
  close(): Promise<void>;
}

const readAll = async (req: AsyncIterable<unknown>) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** A stand-in for crm-api's recording routes on 127.0.0.1: PUT /api/v1/cti/recordings/:id and …/failure. */
export async function startFakeCrmApi(): Promise<FakeCrmApi> {
  const uploads: ReceivedUpload[] = [];
  const failures: FakeCrmApi["failures"] = [];
  const events: { type: string }[] = [];
  let failing = { left: 0, status: 503 };
  let attempts = 0;
  const attemptSizes: number[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const match = /^\/api\/v1\/cti\/recordings\/([^/]+)(\/failure)?$/.exec(url.pathname);
      const body = await readAll(req);
      if (url.pathname === "/api/v1/cti/events") {
        const batch = JSON.parse(body.toString()) as { events: { type: string }[] };
        events.push(...batch.events);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ accepted: batch.events.length, duplicates: 0 }));
        return;
      }
      if (!match) {
        res.writeHead(404).end();
        return;
      }
      const recordingId = decodeURIComponent(match[1]!);
      const callId = url.searchParams.get("callId");
      if (match[2]) {
        failures.push({
          recordingId,
          callId,
          reason: (JSON.parse(body.toString()) as { reason: string }).reason,
        });
        res.writeHead(204).end();
        return;
      }
      attempts += 1;
      attemptSizes.push(body.length);
      if (failing.left > 0) {
        failing.left -= 1;
        res.writeHead(failing.status).end();
        return;
      }
      const { authorization } = req.headers;
      uploads.push({
        recordingId,
        callId,
        authorization,
        contentType: req.headers["content-type"],
        contentLength: req.headers["content-length"],
        body,
      });
      res.writeHead(201, { "content-type": "application/json" }).end("{}");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uploads,
    failures,
    events,
    attempts: () => attempts,
    attemptSizes,
    failNext(n, status = 503) {
      failing = { left: n, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
