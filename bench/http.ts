import http from "node:http";
import type { Db } from "@okno/db";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../crm-api/src/app.ts";
import { loadConfig } from "../crm-api/src/config.ts";

export interface BenchServer {
  app: FastifyInstance;
  /** "http://127.0.0.1:41234" */
  origin: string;
}

/**
 * The real application on a real socket: buildApp on the benchmark database, 127.0.0.1, a free port.
 * One user creates thousands of contacts a minute here, so the per-user write limit is raised; its
 * check still runs on every write, so its cost stays in the figures.
 */
export async function startServer(db: Db): Promise<BenchServer> {
  const config = loadConfig({ LOG_LEVEL: "warn", OKNO_SEED: "none", WRITE_RATE_LIMIT: "1000000" });
  const app = await buildApp({ config, db });
  const origin = await app.listen({ host: "127.0.0.1", port: 0 });
  return { app, origin };
}

export interface HttpResult {
  status: number;
  body: string;
}

/**
 * A keep-alive HTTP/1.1 client over node:http: one socket per request in flight, reused across
 * requests, so the figures measure the server and not TCP handshakes.
 */
export class HttpClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    origin: string,
    private readonly token: string,
    maxSockets: number,
  ) {
    this.url = new URL(origin);
    this.agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  get(path: string): Promise<HttpResult> {
    return this.send("GET", path);
  }

  post(path: string, json: unknown): Promise<HttpResult> {
    return this.send("POST", path, JSON.stringify(json));
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, body?: string): Promise<HttpResult> {
    const headers: http.OutgoingHttpHeaders = { authorization: `Bearer ${this.token}` };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      headers["content-length"] = Buffer.byteLength(body);
    }
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.url.hostname, port: this.url.port, method, path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
          );
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  }
}
