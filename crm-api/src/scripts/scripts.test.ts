import type { Contact } from "@okno/contracts";
import type { ResolvedScript, ScriptGraph, ScriptRun, ScriptVersion } from "@okno/scripts-kb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callOf, callRow, feed, seedTracking, startCtiApp, unknownNumber } from "../cti/testKit.ts";
import type { TestApp, TestLogin } from "../test/testApp.ts";

type ErrorBody = { error: { fields: Record<string, string> } };

const MAIN_LINE = "+74951234567";
const TRACKING_LINE = "+74957654321";

const sales: ScriptGraph = {
  start: "hello",
  nodes: [
    {
      id: "hello",
      type: "say",
      text: "Добрый день! Мебельная фабрика «Уют», меня зовут {agent.fullName}.",
      next: "name",
    },
    {
      id: "name",
      type: "capture",
      text: "Как к вам обращаться?",
      target: { entity: "contact", field: "firstName" },
      next: "offer",
    },
    {
      id: "offer",
      type: "question",
      text: "{contact.firstName}, предлагаю бесплатный замер. Записать вас?",
      answers: [
        { id: "yes", label: "Да", next: "won" },
        { id: "expensive", label: "Дорого", next: "objection" },
        { id: "think", label: "Подумаю", next: "objection" },
      ],
    },
    {
      id: "objection",
      type: "capture",
      text: "Что именно смущает?",
      target: { entity: "contact", field: "fields.objection" },
      options: ["дорого", "подумаю", "уже работаем с другими"],
      next: "back",
    },
    { id: "back", type: "jump", target: "offer" },
    { id: "won", type: "end", outcome: "success", text: "Спасибо, до встречи на замере!" },
  ],
};

describe("call scripts", () => {
  let t: TestApp;
  let scriptId: string;
  let v1: ScriptVersion;

  const api = (login: TestLogin, method: "GET" | "POST" | "PATCH" | "PUT", url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: t.as(login), payload });

  beforeAll(async () => {
    t = await startCtiApp();
    await seedTracking(t);
    const field = await api("admin", "POST", "/fields", {
      entity: "contacts",
      key: "objection",
      label: "Возражение",
      type: "string",
    });
    expect(field.statusCode, field.body).toBe(201);
    const created = await api("supervisor", "POST", "/scripts", { name: "Входящие продажи", draft: sales });
    expect(created.statusCode, created.body).toBe(201);
    scriptId = created.json<{ id: string }>().id;
    const published = await api("supervisor", "POST", `/scripts/${scriptId}/publish`);
    expect(published.statusCode, published.body).toBe(201);
    v1 = published.json<ScriptVersion>();
    const assigned = await api("supervisor", "PUT", `/scripts/${scriptId}/assignments`, {
      items: [{ kind: "line", value: "8 (495) 123-45-67" }],
    });
    expect(assigned.statusCode, assigned.body).toBe(200);
  });
  afterAll(async () => {
    await t.close();
  });

  it("lets only supervisors and administrators write scripts", async () => {
    expect((await api("agent1", "POST", "/scripts", { name: "Мой", draft: sales })).statusCode).toBe(403);
    expect((await api("manager1", "POST", `/scripts/${scriptId}/publish`)).statusCode).toBe(403);
    const list = await api("agent1", "GET", "/scripts");
    expect(list.json<{ items: { id: string }[] }>().items.map((s) => s.id)).toContain(scriptId);
  });

  it("publishes immutable versions: a new draft becomes version 2, version 1 stays as it ran", async () => {
    const other = await api("supervisor", "POST", "/scripts", { name: "Черновик", draft: sales });
    const id = other.json<{ id: string }>().id;
    const first = (await api("supervisor", "POST", `/scripts/${id}/publish`)).json<ScriptVersion>();
    const edited = {
      ...sales,
      nodes: sales.nodes.map((n) => (n.id === "won" ? { ...n, text: "До свидания!" } : n)),
    };
    expect((await api("supervisor", "PATCH", `/scripts/${id}`, { draft: edited })).statusCode).toBe(200);
    const second = (await api("supervisor", "POST", `/scripts/${id}/publish`)).json<ScriptVersion>();
    expect([first.version, second.version]).toEqual([1, 2]);
    const old = (await api("agent1", "GET", `/scripts/versions/${first.id}`)).json<ScriptVersion>();
    expect(old.graph).toEqual(sales);
    expect(second.graph).toEqual(edited);
  });

  it("refuses to publish an invalid draft, naming each node and the reason", async () => {
    const broken = {
      start: "hello",
      nodes: [
        { id: "hello", type: "say", text: "Привет", next: "nowhere" },
        {
          id: "ask",
          type: "capture",
          text: "?",
          target: { entity: "contact", field: "fields.nope" },
          next: "end",
        },
        { id: "end", type: "end", outcome: "other" },
      ],
    };
    const created = await api("supervisor", "POST", "/scripts", { name: "Сломанный", draft: broken });
    const id = created.json<{ id: string; problems: { nodeId: string; reason: string }[] }>().id;
    expect(created.json<{ problems: unknown[] }>().problems).toContainEqual(
      expect.objectContaining({ nodeId: "hello", reason: "dangling_link" }),
    );
    const res = await api("supervisor", "POST", `/scripts/${id}/publish`);
    expect(res.statusCode).toBe(400);
    expect(res.json<ErrorBody>().error.fields).toMatchObject({
      "draft.hello": expect.stringContaining("dangling_link"),
    });
    // Once the graph is sound, the database checks the captured field exists.
    const fixed = {
      ...broken,
      nodes: broken.nodes.map((n) => (n.id === "hello" ? { ...n, next: "ask" } : n)),
    };
    await api("supervisor", "PATCH", `/scripts/${id}`, { draft: fixed });
    const again = await api("supervisor", "POST", `/scripts/${id}/publish`);
    expect(again.statusCode).toBe(400);
    expect(again.json<ErrorBody>().error.fields).toMatchObject({
      "draft.ask": expect.stringContaining("unknown_field"),
    });
  });

  it("resolves by line, preferring a higher priority, then the more specific kind", async () => {
    const byLine = (
      await api("agent1", "GET", `/scripts/resolve?line=${encodeURIComponent(MAIN_LINE)}`)
    ).json<ResolvedScript>();
    expect(byLine.script).toMatchObject({
      assignment: { kind: "line", value: MAIN_LINE },
      version: { id: v1.id },
    });
    expect(
      (await api("agent1", "GET", `/scripts/resolve?line=${encodeURIComponent(TRACKING_LINE)}`)).json(),
    ).toEqual({ script: null });

    const queueScript = (await api("admin", "POST", "/scripts", { name: "Очередь", draft: sales })).json<{
      id: string;
    }>();
    const qv = (await api("admin", "POST", `/scripts/${queueScript.id}/publish`)).json<ScriptVersion>();
    await api("admin", "PUT", `/scripts/${queueScript.id}/assignments`, {
      items: [{ kind: "queue", value: "sales" }],
    });
    const both = `/scripts/resolve?line=${encodeURIComponent(MAIN_LINE)}&queue=sales`;
    expect((await api("agent1", "GET", both)).json<ResolvedScript>().script?.version.id).toBe(v1.id);
    await api("admin", "PUT", `/scripts/${queueScript.id}/assignments`, {
      items: [{ kind: "queue", value: "sales", priority: 5 }],
    });
    expect((await api("agent1", "GET", both)).json<ResolvedScript>().script?.version.id).toBe(qv.id);
    await api("admin", "PATCH", `/scripts/${queueScript.id}`, { isArchived: true });
    expect((await api("agent1", "GET", both)).json<ResolvedScript>().script?.version.id).toBe(v1.id);
  });

  it("end to end: a call on the line opens its script; the answers are saved and the captures reach the contact", async () => {
    const caller = unknownNumber();
    const call = callOf();
    await feed(t, call.ringing(0, caller, { line: MAIN_LINE, agentExt: "101" }), call.answered(5, "101"));

    const resolved = await api("agent1", "GET", `/scripts/resolve?callId=${encodeURIComponent(call.callId)}`);
    expect(resolved.statusCode, resolved.body).toBe(200);
    const version = resolved.json<ResolvedScript>().script!.version;
    expect(version).toMatchObject({ id: v1.id, name: "Входящие продажи", version: 1 });

    const row = await callRow(t, call.callId);
    expect(row.contact_id).not.toBeNull();
    const answers = [
      { kind: "next", nodeId: "hello" },
      { kind: "capture", nodeId: "name", value: "Ольга" },
      { kind: "answer", nodeId: "offer", answerId: "expensive" },
      { kind: "capture", nodeId: "objection", value: "дорого" },
      { kind: "answer", nodeId: "offer", answerId: "yes" },
    ];
    const path = ["hello", "name", "offer", "objection", "back", "offer", "won"];
    const saved = await api("agent1", "POST", `/interactions/${row.id}/script-run`, {
      versionId: version.id,
      path,
      answers,
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json<ScriptRun>()).toMatchObject({ status: "ended", outcome: "success", path, version: 1 });

    const runs = (await api("agent1", "GET", `/interactions/${row.id}/script-runs`)).json<{
      items: ScriptRun[];
    }>();
    expect(runs.items).toHaveLength(1);
    expect(runs.items[0]!.answers).toEqual(answers);
    expect(runs.items[0]!.captures.map((c) => [c.field, c.value, c.recordId])).toEqual([
      ["firstName", "Ольга", row.contact_id],
      ["fields.objection", "дорого", row.contact_id],
    ]);
    const contact = (await api("agent1", "GET", `/contacts/${row.contact_id}`)).json<Contact>();
    expect(contact.firstName).toBe("Ольга");
    expect(contact.fields).toMatchObject({ objection: "дорого" });
    const audit = await t.db
      .knex("audit_log")
      .where({ entity: "contacts", record_id: row.contact_id, action: "update" });
    expect(audit.length).toBeGreaterThan(0);
  });

  it("refuses answers the script does not allow and a path that does not follow from them, saving nothing", async () => {
    const call = callOf();
    await feed(
      t,
      call.ringing(0, unknownNumber(), { line: MAIN_LINE, agentExt: "101" }),
      call.answered(3, "101"),
    );
    const row = await callRow(t, call.callId);
    const bad = await api("agent1", "POST", `/interactions/${row.id}/script-run`, {
      versionId: v1.id,
      path: ["hello"],
      answers: [{ kind: "answer", nodeId: "hello", answerId: "yes" }],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().error.fields).toHaveProperty(["body.answers.0"]);
    const lying = await api("agent1", "POST", `/interactions/${row.id}/script-run`, {
      versionId: v1.id,
      path: ["hello", "won"],
      answers: [{ kind: "next", nodeId: "hello" }],
    });
    expect(lying.statusCode).toBe(400);
    expect(lying.json<ErrorBody>().error.fields).toHaveProperty(["body.path"]);
    expect(await t.db.knex("interaction_script_runs").where("interaction_id", row.id)).toHaveLength(0);
  });

  it("refuses another agent's call (outside the scope): resolving or saving a run on it is 403", async () => {
    const call = callOf();
    await feed(
      t,
      call.ringing(0, unknownNumber(), { line: MAIN_LINE, agentExt: "102" }),
      call.answered(3, "102"),
    );
    const row = await callRow(t, call.callId);
    expect(
      (await api("agent1", "GET", `/scripts/resolve?callId=${encodeURIComponent(call.callId)}`)).statusCode,
    ).toBe(403);
    const res = await api("agent1", "POST", `/interactions/${row.id}/script-run`, {
      versionId: v1.id,
      path: ["hello"],
      answers: [],
    });
    expect(res.statusCode).toBe(403);
  });
});
