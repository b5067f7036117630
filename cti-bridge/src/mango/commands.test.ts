import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMangoCommands, type MangoCommands } from "./commands.ts";
import { MangoApiError } from "./mangoHttp.ts";
import { checkMangoSign, readMangoForm } from "./sign.ts";
import { memoryLogger, TEST_KEY, TEST_SALT, type MemoryLog } from "./testing/mangoTesting.ts";

/*
 * The commands client against a stand-in for app.mango-office.ru on 127.0.0.1 that checks every form's
 * signature the way Mango does, and serves recordings through a one-time 302 link.
 */

type Seen = { path: string; json: unknown; isSigned: boolean };
type Handler = (req: IncomingMessage, res: ServerResponse, seen: Seen) => void;

const AUDIO = Buffer.alloc(70_000, 7);
const SECRET_LINK = "/files/tmp-7f3a9c?token=one-time-secret-4242";

let server: Server;
let base: string;
let seen: Seen[];
let memory: MemoryLog;
let handler: Handler;

beforeEach(async () => {
  seen = [];
  memory = memoryLogger();
  handler = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"result":1000}');
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.url === SECRET_LINK) {
        res.writeHead(200, { "content-type": "audio/mpeg", "content-length": AUDIO.length }).end(AUDIO);
        return;
      }
      const form = readMangoForm(body);
      const entry = {
        path: req.url ?? "",
        json: form ? JSON.parse(form.json) : null,
        isSigned: form !== null && checkMangoSign(form, TEST_KEY, TEST_SALT) === "ok",
      };
      seen.push(entry);
      handler(req, res, entry);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/vpbx/`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function client(overrides: Partial<Parameters<typeof createMangoCommands>[0]> = {}): MangoCommands {
  let n = 0;
  return createMangoCommands({
    apiUrl: base,
    apiKey: TEST_KEY,
    apiSalt: TEST_SALT,
    log: memory.log,
    backoff: { initialMs: 5, maxMs: 20 },
    newCommandId: () => `cmd-${(n += 1)}`,
    ...overrides,
  });
}

describe("Mango commands", () => {
  it("sends a signed callback with the employee's extension and the customer's number as Mango writes it", async () => {
    const accepted = await client().callback({
      fromExt: "101",
      toNumber: "+79161234567",
      lineNumber: "+74951234567",
    });
    expect(accepted).toEqual({ commandId: "cmd-1", result: 1000 });
    expect(seen).toEqual([
      {
        path: "/vpbx/commands/callback",
        isSigned: true,
        json: {
          command_id: "cmd-1",
          from: { extension: "101" },
          to_number: "79161234567",
          line_number: "74951234567",
        },
      },
    ]);
  });

  it("names each command's path and fields as the API does", async () => {
    const mango = client();
    await mango.transfer({ callId: "200:514", method: "hold", toNumber: "102", initiator: "101" });
    await mango.callsConnect({
      heldCallId: "200:514",
      transferInitiatorNumber: "+79161234567",
      transferredCallId: "202:515",
    });
    await mango.transferCancel({ callId: "200:514" });
    await mango.route({ callId: "100:500:256", toNumber: "101" });
    await mango.hangup({ callId: "100:500:257" });
    expect(seen.map(({ path, json }) => [path, json])).toEqual([
      [
        "/vpbx/commands/transfer",
        { command_id: "cmd-1", call_id: "200:514", method: "hold", to_number: "102", initiator: "101" },
      ],
      [
        "/vpbx/commands/calls_connect",
        {
          command_id: "cmd-2",
          holded_call_id: "200:514",
          transfer_initiator_number: "79161234567",
          transferred_call_id: "202:515",
        },
      ],
      ["/vpbx/commands/transfer_cancel", { command_id: "cmd-3", call_id: "200:514" }],
      ["/vpbx/commands/route", { command_id: "cmd-4", call_id: "100:500:256", to_number: "101" }],
      ["/vpbx/commands/call/hangup", { command_id: "cmd-5", call_id: "100:500:257" }],
    ]);
    expect(seen.every((s) => s.isSigned)).toBe(true);
  });

  it("retries a 5xx with backoff and succeeds", async () => {
    let calls = 0;
    handler = (_req, res) => {
      calls += 1;
      res.writeHead(calls < 3 ? 503 : 200).end(calls < 3 ? "" : '{"result":1000}');
    };
    await expect(client().hangup({ callId: "1" })).resolves.toEqual({ commandId: "cmd-1", result: 1000 });
    expect(calls).toBe(3);
  });

  it("gives up after its retries on a lasting 5xx", async () => {
    handler = (_req, res) => res.writeHead(500).end();
    const error = await client({ retries: 2 })
      .hangup({ callId: "1" })
      .catch((err: unknown) => err);
    expect(error).toMatchObject({ kind: "http", status: 500 });
    expect(seen).toHaveLength(3);
  });

  it("does not retry a refusal: a 401 and a result code other than 1000 are thrown at once", async () => {
    handler = (_req, res) => res.writeHead(401).end();
    await expect(client().hangup({ callId: "1" })).rejects.toMatchObject({ kind: "http", status: 401 });
    handler = (_req, res) => res.writeHead(200).end('{"result":3100}');
    await expect(client().hangup({ callId: "1" })).rejects.toMatchObject({ kind: "rejected", result: 3100 });
    expect(seen).toHaveLength(2);
  });

  it("times out a command and does not send it again (it may have been carried out)", async () => {
    handler = () => undefined;
    const error = await client({ timeoutMs: 50 })
      .callback({ fromExt: "101", toNumber: "+79161234567" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MangoApiError);
    expect(error).toMatchObject({ kind: "timeout" });
    expect(seen).toHaveLength(1);
  });
});

describe("Mango recording download", () => {
  it("follows the 302 to the one-time link, streams the file into the sink, and never logs the link", async () => {
    handler = (_req, res) =>
      res.writeHead(302, { location: `http://${new URL(base).host}${SECRET_LINK}` }).end();
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        chunks.push(chunk);
        done();
      },
    });
    const result = await client().downloadRecording("MToxMDE2NzE0NzoxOTE3NTk4NTkxOjA=", sink);
    expect(result).toEqual({ contentType: "audio/mpeg", bytes: AUDIO.length });
    expect(Buffer.concat(chunks).equals(AUDIO)).toBe(true);
    expect(seen).toEqual([
      {
        path: "/vpbx/queries/recording/post",
        isSigned: true,
        json: { recording_id: "MToxMDE2NzE0NzoxOTE3NTk4NTkxOjA=", action: "download" },
      },
    ]);
    expect(memory.text()).not.toContain("tmp-7f3a9c");
    expect(memory.text()).not.toContain("one-time-secret");
  });

  it("says not_ready when the recording is not in the cloud yet", async () => {
    handler = (_req, res) => res.writeHead(404).end();
    const sink = new Writable({ write: (_c, _e, done) => done() });
    await expect(client().downloadRecording("r1", sink)).rejects.toMatchObject({ kind: "not_ready" });
  });
});
