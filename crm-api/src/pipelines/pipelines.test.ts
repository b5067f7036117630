import type { Pipeline } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

describe("pipelines", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const create = (login: "admin" | "manager1", payload: object) =>
    t.app.inject({ method: "POST", url: "/api/v1/pipelines", headers: t.as(login), payload });

  it("lists every pipeline with its stages in order, to any signed-in user", async () => {
    const p = await buildPipeline(t, { name: "Опт" });
    // A stage added later between two others: its sort value places it, not its insertion order.
    await t.db.knex("stages").insert({ pipeline_id: p.id, name: "Счёт выставлен", sort: 15, kind: "open" });
    const res = await t.app.inject({ url: "/api/v1/pipelines", headers: t.as("agent1") });
    expect(res.statusCode).toBe(200);
    const opt = res.json<{ items: Pipeline[] }>().items.find((x) => x.id === p.id);
    expect(opt?.stages.map((s) => [s.name, s.kind])).toEqual([
      ["Новая", "open"],
      ["Счёт выставлен", "open"],
      ["Переговоры", "open"],
      ["Успешно", "won"],
      ["Провалена", "lost"],
    ]);
    const anonymous = await t.app.inject({ url: "/api/v1/pipelines" });
    expect(anonymous.statusCode).toBe(401);
  });

  it("lets an administrator create a pipeline with stages and make it the default", async () => {
    const old = await buildPipeline(t, { isDefault: true });
    const res = await create("admin", {
      name: "Монтаж",
      isDefault: true,
      stages: [
        { name: "Замер", deadlineHours: 48, color: "#3366ff" },
        { name: "Установка" },
        { name: "Сдано", kind: "won" },
      ],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: "Монтаж",
      isDefault: true,
      stages: [
        { name: "Замер", kind: "open", sort: 10, deadlineHours: 48, color: "#3366ff" },
        { name: "Установка", kind: "open", sort: 20 },
        { name: "Сдано", kind: "won", sort: 30 },
      ],
    });
    const previous = await t.db.knex("pipelines").where("id", old.id).first("is_default");
    expect(previous).toEqual({ is_default: false });
  });

  it("leaves creating pipelines to administrators", async () => {
    const res = await create("manager1", { name: "Своя воронка", stages: [{ name: "Новая" }] });
    expect(res.statusCode).toBe(403);
    expect(await t.db.knex("pipelines").where("name", "Своя воронка").first()).toBeUndefined();
  });

  it.each([
    [{ name: "Без этапов", stages: [] }, "body.stages"],
    [{ name: "Сразу успех", stages: [{ name: "Успешно", kind: "won" }] }, "body.stages"],
    [{ name: "Цвет", stages: [{ name: "Новая", color: "red" }] }, "body.stages.0.color"],
  ])("rejects %j naming %s", async (payload, field) => {
    const res = await create("admin", payload);
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json<{ error: { fields: object } }>().error.fields)).toContain(field);
  });

  it("refuses a second pipeline with the same name", async () => {
    await buildPipeline(t, { name: "Розница" });
    const res = await create("admin", { name: "розница", stages: [{ name: "Новая" }] });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { fields: { "body.name": "name is taken" } } });
  });
});
