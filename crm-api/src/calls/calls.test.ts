import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CtiCommand, CtiCommandResult } from "@okno/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { callOf, CTI_TOKEN, feed } from "../cti/testKit.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

/*
 * The calls routes against a stand-in for the CTI bridge on 127.0.0.1 that checks the CTI token, keeps
 * every command and answers what the test says. Calls exist because the bridge's events made them.
 */

type Seen = { authorization: string | undefined; command: CtiCommand };

let bridge: Server;
let bridgeUrl: string;
let seen: Seen[];
let answer: CtiCommandResult | { status: number };
let t: TestApp;

async function startFakeBridge(): Promise<void> {
  bridge = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
    req.on("end", () => {
      if (req.url !== "/bridge/commands" || req.method !== "POST") {
        res.writeHead(404).end();
        return;
      }
      seen.push({ authorization: req.headers.authorization, command: JSON.parse(body) as CtiCommand });
      if ("status" in answer) {
        res.writeHead(answer.status).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => bridge.listen(0, "127.0.0.1", resolve));
  bridgeUrl = `http://127.0.0.1:${(bridge.address() as AddressInfo).port}`;
}

const post = (login: TestLogin, url: string, payload?: object) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/calls${url}`,
    headers: t.as(login),
    ...(payload ? { payload } : {}),
  });

/** A call answered by `ext` on leg "<callId>-leg", live. */
async function answeredCall(ext: string): Promise<string> {
  const c = callOf();
  const legId = `${c.callId.slice(5)}-leg`;
  await feed(
    t,
    c.ringing(0, "+79161234567", { agentExt: ext, legId }),
    c.event("call.answered", 2, { agentExt: ext, legId }),
  );
  return c.callId;
}

const auditRows = (callId: string) =>
  t.db.knex("audit_log").where({ entity: "calls", record_id: callId }).select("user_id", "action", "meta");

beforeAll(async () => {
  await startFakeBridge();
  t = await startTestApp({ cti: { token: CTI_TOKEN }, bridge: { url: bridgeUrl } });
  // The supervisor has a phone of their own to listen on (the test company gives them none).
  await t.db.knex("users").where("login", "supervisor").update({ extension: "301" });
});

afterAll(async () => {
  await t.close();
  bridge.closeAllConnections();
  await new Promise((resolve) => bridge.close(resolve));
});

beforeEach(() => {
  seen = [];
  answer = { ok: true };
});

describe("POST /calls/originate", () => {
  it("rings the user's own extension first and dials the number in E.164; audited", async () => {
    answer = { ok: true, callId: "ast1:okno-1" };
    const res = await post("agent1", "/originate", { phone: "8 (916) 123-45-67" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, callId: "ast1:okno-1" });
    expect(seen).toEqual([
      {
        authorization: `Bearer ${CTI_TOKEN}`,
        command: { type: "call.originate", agentExt: "101", to: "+79161234567" },
      },
    ]);
    expect(await auditRows("ast1:okno-1")).toEqual([
      {
        user_id: t.org.users.agent1.id,
        action: "create",
        meta: { event: "call.originate", agentExt: "101", to: "+79161234567", contactId: null },
      },
    ]);
  });

  it("answers 400 for a number that is not a phone, and for a user without an extension", async () => {
    const bad = await post("agent1", "/originate", { phone: "позвоните мне" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual({ "body.phone": "not a valid phone number" });
    const noPhone = await post("admin", "/originate", { phone: "+79161234567" });
    expect(noPhone.statusCode).toBe(400);
    expect(noPhone.json().error.message).toContain("no extension");
    expect(seen).toHaveLength(0);
  });

  it("needs a signed-in user", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/calls/originate",
      payload: { phone: "+79161234567" },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe("POST /calls/:callId/transfer and /hangup", () => {
  it("lets the agent on the call transfer their own leg", async () => {
    const callId = await answeredCall("101");
    const res = await post("agent1", `/${callId}/transfer`, { to: "102", mode: "attended" });
    expect(res.statusCode).toBe(200);
    expect(seen[0]?.command).toEqual({
      type: "call.transfer",
      callId,
      to: "102",
      mode: "attended",
      legId: `${callId.slice(5)}-leg`,
    });
    expect(await auditRows(callId)).toMatchObject([{ user_id: t.org.users.agent1.id, action: "update" }]);
  });

  it("refuses an agent who is not on the call, and a supervisor of another department", async () => {
    const callId = await answeredCall("101");
    expect((await post("agent2", `/${callId}/hangup`)).statusCode).toBe(403);
    expect((await post("supervisor", `/${callId}/hangup`)).statusCode).toBe(403);
    expect(seen).toHaveLength(0);
    const admin = await post("admin", `/${callId}/hangup`);
    expect(admin.statusCode).toBe(200);
    expect(seen[0]?.command).toEqual({ type: "call.hangup", callId }); // the whole call
  });

  it("answers 404 for an unknown call and 409 for one that has ended", async () => {
    expect((await post("agent1", "/ast1:1700000000.9/hangup")).statusCode).toBe(404);
    const c = callOf();
    await feed(
      t,
      c.ringing(0, "+79161234567", { agentExt: "101" }),
      c.answered(1, "101"),
      c.ended(5, "completed"),
    );
    const ended = await post("agent1", `/${c.callId}/hangup`);
    expect(ended.statusCode).toBe(409);
    expect(seen).toHaveLength(0);
  });

  it("turns the PBX's refusal into an HTTP error the desktop can branch on", async () => {
    const callId = await answeredCall("101");
    answer = { ok: false, code: "not_found", message: "the PBX has no such call (it may have ended)" };
    const gone = await post("agent1", `/${callId}/hangup`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.message).toContain("no such call");
    answer = { ok: false, code: "unsupported", message: "commands are not supported on Genesys Cloud" };
    expect((await post("agent1", `/${callId}/hangup`)).json().error.code).toBe("unsupported");
    answer = { status: 403 };
    const refused = await post("agent1", `/${callId}/hangup`);
    expect(refused.statusCode).toBe(502);
    expect(refused.json().error.message).toContain("CTI_TOKEN");
    expect(await auditRows(callId)).toHaveLength(0);
  });
});

describe("POST /calls/:callId/supervise", () => {
  it("is for supervisors: an agent cannot listen in", async () => {
    const callId = await answeredCall("201");
    const res = await post("agent1", `/${callId}/supervise`, { mode: "listen" });
    expect(res.statusCode).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it("lets a supervisor listen to a call of their department from their own phone, and audits it", async () => {
    const callId = await answeredCall("201"); // manager1, Отдел продаж 1 under Продажи
    const res = await post("supervisor", `/${callId}/supervise`, { mode: "whisper" });
    expect(res.statusCode).toBe(200);
    expect(seen[0]?.command).toEqual({
      type: "call.supervise",
      callId,
      supervisorExt: "301",
      mode: "whisper",
    });
    expect(await auditRows(callId)).toEqual([
      {
        user_id: t.org.users.supervisor.id,
        action: "view",
        meta: { event: "call.supervise", mode: "whisper", supervisorExt: "301", agentExt: "201" },
      },
    ]);
  });

  it("refuses a supervisor on a call of another department's agent", async () => {
    const callId = await answeredCall("101"); // agent1, Колл-центр
    expect((await post("supervisor", `/${callId}/supervise`, { mode: "barge" })).statusCode).toBe(403);
    expect((await post("supervisor", `/${callId}/supervise`, { mode: "shout" })).statusCode).toBe(400);
  });
});

describe("bridge unreachable", () => {
  it("answers 503 naming BRIDGE_URL when nothing listens there", async () => {
    const port = Number(new URL(bridgeUrl).port);
    const other = await startTestApp({
      cti: { token: CTI_TOKEN },
      bridge: { url: `http://127.0.0.1:${port + 1}` },
    });
    try {
      const res = await other.app.inject({
        method: "POST",
        url: "/api/v1/calls/originate",
        headers: other.as("agent1"),
        payload: { phone: "+79161234567" },
      });
      expect(res.statusCode).toBe(503);
      expect(res.json().error).toMatchObject({ code: "unavailable" });
      expect(res.json().error.message).toContain("BRIDGE_URL");
    } finally {
      await other.close();
    }
  });
});
