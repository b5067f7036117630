import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PBX_IDS } from "../bridge.ts";
import { createMangoCommands, mangoWebhooks, type MangoIngest } from "../mango/index.ts";
import { checkMangoSign, readMangoForm } from "../mango/sign.ts";
import { loadFixture, signedForm, TEST_KEY, TEST_SALT } from "../mango/testing/mangoTesting.ts";
import { commandRoutes } from "./routes.ts";

/*
 * POST /bridge/commands on Mango Office, wired as the bridge wires it: the calls are known from signed
 * webhooks of the API document's sequences (the same plugin, on the same server), and the commands go
 * to a stand-in for app.mango-office.ru on 127.0.0.1 that checks every signature the way Mango does.
 */

const TOKEN = "bridge-test-token-0123456789abcdefghijkl";
const log = pino({ level: "silent" });
/** The consultative transfer of the API document: 101 holds the customer (200:514) and calls 102 (202:515). */
const CONSULT = loadFixture("consult-transfer");
const CALL = "mango:232wc3e3w3s333";

type Seen = { path: string; json: unknown; isSigned: boolean };

let mango: Server;
let seen: Seen[];
/** Mango's answer to every command: {"result": 1000} takes it. */
let result: number;
let app: FastifyInstance;

beforeEach(async () => {
  seen = [];
  result = 1000;
  mango = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      const form = readMangoForm(body);
      seen.push({
        path: req.url ?? "",
        json: form ? JSON.parse(form.json) : null,
        isSigned: form !== null && checkMangoSign(form, TEST_KEY, TEST_SALT) === "ok",
      });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ result }));
    });
  });
  await new Promise<void>((resolve) => mango.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${(mango.address() as AddressInfo).port}/vpbx/`;

  let ingest: MangoIngest | null = null;
  app = Fastify();
  await app.register(mangoWebhooks, {
    prefix: "/webhooks/mango",
    apiKey: TEST_KEY,
    apiSalt: TEST_SALT,
    pbxId: PBX_IDS.mango,
    log,
    onEvent: () => {},
    onReady: (handle) => (ingest = handle.ingest),
  });
  const commands = createMangoCommands({ apiUrl, apiKey: TEST_KEY, apiSalt: TEST_SALT, log, retries: 0 });
  await app.register(commandRoutes, {
    prefix: "/bridge",
    token: TOKEN,
    targets: { pbxIds: PBX_IDS, asterisk: null, mango: { commands, calls: () => ingest?.calls() ?? null } },
    log,
  });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  mango.closeAllConnections();
  await new Promise((resolve) => mango.close(resolve));
});

/** Mango's webhooks of the consultative transfer, the first `count` of them. */
async function callUpTo(count: number): Promise<void> {
  for (const { path, json } of CONSULT.slice(0, count)) {
    const res = await app.inject({
      method: "POST",
      url: `/webhooks/mango/${path}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: signedForm(JSON.stringify(json)),
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

async function command(body: object): Promise<unknown> {
  const res = await app.inject({
    method: "POST",
    url: "/bridge/commands",
    headers: { authorization: `Bearer ${TOKEN}` },
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** What reached Mango: path and form json without the generated command_id, and whether it was signed. */
const sent = () =>
  seen.map(({ path, json, isSigned }) => {
    const fields = { ...(json as Record<string, unknown>) };
    delete fields.command_id;
    return { path, fields, isSigned };
  });

describe("POST /bridge/commands on Mango Office", () => {
  it("transfers the customer from the agent's leg, blind or with a consultation first", async () => {
    await callUpTo(2); // 101 has answered the customer on 200:514
    expect(await command({ type: "call.transfer", callId: CALL, to: "102", mode: "blind" })).toEqual({
      ok: true,
    });
    expect(
      await command({ type: "call.transfer", callId: CALL, to: "+74951110102", mode: "attended" }),
    ).toEqual({ ok: true });
    expect(sent()).toEqual([
      {
        path: "/vpbx/commands/transfer",
        fields: { call_id: "200:514", method: "blind", to_number: "102", initiator: "101" },
        isSigned: true,
      },
      {
        path: "/vpbx/commands/transfer",
        fields: { call_id: "200:514", method: "hold", to_number: "74951110102", initiator: "101" },
        isSigned: true,
      },
    ]);
  });

  it("completes a consultation by joining the held customer with the colleague, or cancels it", async () => {
    await callUpTo(5); // the customer is on hold (200:514), 101 talks to 102 (202:515)
    expect(await command({ type: "call.transfer.complete", callId: CALL })).toEqual({ ok: true });
    expect(await command({ type: "call.transfer.cancel", callId: CALL })).toEqual({ ok: true });
    expect(sent()).toEqual([
      {
        path: "/vpbx/commands/calls_connect",
        fields: {
          holded_call_id: "200:514",
          transfer_initiator_number: "101",
          transferred_call_id: "202:515",
        },
        isSigned: true,
      },
      { path: "/vpbx/commands/transfer_cancel", fields: { call_id: "200:514" }, isSigned: true },
    ]);
  });

  it("hangs up the agent's leg, and says not_found once the call has ended, sending nothing", async () => {
    await callUpTo(2);
    expect(await command({ type: "call.hangup", callId: CALL })).toEqual({ ok: true });
    expect(await command({ type: "call.transfer.complete", callId: CALL })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    await callUpTo(CONSULT.length); // the rest of the call, up to its summary
    expect(await command({ type: "call.hangup", callId: CALL })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(await command({ type: "call.hangup", callId: "mango:no-such-entry" })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(sent()).toEqual([
      { path: "/vpbx/commands/call/hangup", fields: { call_id: "200:514" }, isSigned: true },
    ]);
  });

  it("click-to-call rings the employee first, then the number as Mango writes it", async () => {
    expect(await command({ type: "call.originate", agentExt: "101", to: "+79161234567" })).toEqual({
      ok: true,
    });
    expect(sent()).toEqual([
      {
        path: "/vpbx/commands/callback",
        fields: { from: { extension: "101" }, to_number: "79161234567" },
        isSigned: true,
      },
    ]);
  });

  it("answers unsupported for what Mango has no API for, and pbx_error when Mango refuses", async () => {
    await callUpTo(2);
    expect(
      await command({ type: "call.supervise", callId: CALL, supervisorExt: "301", mode: "listen" }),
    ).toMatchObject({ ok: false, code: "unsupported" });
    expect(await command({ type: "agent.queue", agentExt: "101", action: "pause" })).toMatchObject({
      ok: false,
      code: "unsupported",
    });
    expect(seen).toEqual([]);

    result = 3100; // "invalid parameters": Mango did not take the command
    const refused = (await command({ type: "call.transfer", callId: CALL, to: "102", mode: "blind" })) as {
      message: string;
    };
    expect(refused).toMatchObject({ ok: false, code: "pbx_error" });
    expect(refused.message).toContain("3100");
    expect(refused.message).not.toMatch(/7916|127\.0\.0\.1/);
  });
});
