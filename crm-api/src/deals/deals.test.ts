import type { Deal, Pipeline } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildContact, buildDeal, buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

type Page<T> = { items: T[]; nextCursor: string | null };
type ErrorResponse = { error: { code: string; fields: Record<string, string> } };

describe("deals", () => {
  let t: TestApp;
  let main: Pipeline;
  let other: Pipeline;
  beforeAll(async () => {
    t = await startTestApp();
    main = await buildPipeline(t, { name: "Продажи", isDefault: true });
    other = await buildPipeline(t, { name: "Сервис" });
  });
  afterAll(async () => {
    await t.close();
  });

  const stage = (p: Pipeline, name: string) => p.stages.find((s) => s.name === name)!.id;
  const patch = (login: TestLogin, id: string, payload: object) =>
    t.app.inject({ method: "PATCH", url: `/api/v1/deals/${id}`, headers: t.as(login), payload });
  const countDeals = async () => Number((await t.db.knex("deals").count<{ n: number }[]>("* as n"))[0]!.n);

  it("puts a deal without a pipeline into the default pipeline's first stage", async () => {
    const d = await buildDeal(t, "manager1", { amount: 12_345_600, expectedCloseDate: "2026-12-25" });
    expect(d).toMatchObject({
      pipelineId: main.id,
      stageId: stage(main, "Новая"),
      amount: 12_345_600,
      currency: "RUB",
      ownerId: t.org.users.manager1.id,
      expectedCloseDate: "2026-12-25",
      closedAt: null,
    });
    expect(Date.parse(d.stageChangedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("starts a deal in the first stage of the pipeline it names, or in the pipeline of the stage it names", async () => {
    const byPipeline = await buildDeal(t, "manager1", { pipelineId: other.id });
    expect(byPipeline.stageId).toBe(stage(other, "Новая"));
    const byStage = await buildDeal(t, "manager1", { stageId: stage(other, "Переговоры") });
    expect(byStage.pipelineId).toBe(other.id);
  });

  it("closes a deal created straight in a won stage", async () => {
    const d = await buildDeal(t, "manager1", { stageId: stage(main, "Успешно") });
    expect(d.closedAt).not.toBeNull();
  });

  describe("validation", () => {
    it.each([
      ["body.stageId", () => ({ title: "Сделка", pipelineId: main.id, stageId: stage(other, "Новая") })],
      ["body.amount", () => ({ title: "Сделка", amount: -100 })],
      ["body.amount", () => ({ title: "Сделка", amount: 99.5 })],
      ["body.currency", () => ({ title: "Сделка", currency: "USD" })],
      ["body", () => ({ title: "Сделка", probability: 50 })],
      ["body.stageId", () => ({ title: "Сделка", stageId: "00000000-0000-4000-8000-000000000000" })],
    ])("rejects a bad body naming %s, writing nothing", async (field, payload) => {
      const before = await countDeals();
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/deals",
        headers: t.as("manager1"),
        payload: payload(),
      });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json<ErrorResponse>().error.fields)).toContain(field);
      expect(await countDeals()).toBe(before);
    });

    it("refuses to link a company or contact the user may not see", async () => {
      const company = await buildCompany(t, "manager1");
      const contact = await buildContact(t, "manager1");
      const res = await t.app.inject({
        method: "POST",
        url: "/api/v1/deals",
        headers: t.as("manager2"),
        payload: { title: "Чужой клиент", companyId: company.id, contactId: contact.id },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorResponse>().error.fields).toEqual({
        "body.companyId": "no such company in your scope",
        "body.contactId": "no such contact in your scope",
      });
    });
  });

  describe("moving through stages", () => {
    it("stamps the stage change, closes on won and reopens on an open stage", async () => {
      const d = await buildDeal(t, "manager1");
      await new Promise((r) => setTimeout(r, 5));
      const won = (await patch("manager1", d.id, { stageId: stage(main, "Успешно") })).json<Deal>();
      expect(won.stageId).toBe(stage(main, "Успешно"));
      expect(Date.parse(won.stageChangedAt)).toBeGreaterThan(Date.parse(d.stageChangedAt));
      expect(won.closedAt).not.toBeNull();

      const lost = (await patch("manager1", d.id, { stageId: stage(main, "Провалена") })).json<Deal>();
      expect(lost.closedAt).toBe(won.closedAt);

      const reopened = (await patch("manager1", d.id, { stageId: stage(main, "Переговоры") })).json<Deal>();
      expect(reopened.closedAt).toBeNull();
    });

    it("keeps the stage timestamp when only other fields change", async () => {
      const d = await buildDeal(t, "manager1");
      const res = (await patch("manager1", d.id, { amount: 100, stageId: d.stageId })).json<Deal>();
      expect(res).toMatchObject({ amount: 100, stageChangedAt: d.stageChangedAt });
    });

    it("moves a deal to another pipeline's first stage", async () => {
      const d = await buildDeal(t, "manager1");
      const res = await patch("manager1", d.id, { pipelineId: other.id });
      expect(res.json()).toMatchObject({ pipelineId: other.id, stageId: stage(other, "Новая") });
    });

    it("refuses a stage of another pipeline, leaving the deal where it was", async () => {
      const d = await buildDeal(t, "manager1");
      const res = await patch("manager1", d.id, { stageId: stage(other, "Успешно"), title: "Новое имя" });
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorResponse>().error.fields).toHaveProperty("body.stageId");
      const after = await t.app.inject({ url: `/api/v1/deals/${d.id}`, headers: t.as("manager1") });
      expect(after.json()).toMatchObject({ stageId: d.stageId, title: d.title });
    });
  });

  describe("list", () => {
    let company: string;
    beforeAll(async () => {
      company = (await buildCompany(t, "manager2")).id;
      for (const amount of [300_00, 100_00, 200_00]) {
        await buildDeal(t, "manager2", { amount, companyId: company, pipelineId: other.id });
      }
    });

    it("filters by company and pipeline and pages by amount", async () => {
      const amounts: number[] = [];
      let cursor: string | null = null;
      do {
        const query = { companyId: company, pipelineId: other.id, sort: "-amount", limit: "2" };
        const res = await t.app.inject({
          url: "/api/v1/deals",
          headers: t.as("manager2"),
          query: cursor ? { ...query, cursor } : query,
        });
        const page: Page<Deal> = res.json();
        amounts.push(...page.items.map((d) => d.amount));
        cursor = page.nextCursor;
      } while (cursor);
      expect(amounts).toEqual([300_00, 200_00, 100_00]);
    });
  });

  describe("scope", () => {
    const own = {} as Record<"manager1" | "manager2" | "agent1", Deal>;
    beforeAll(async () => {
      for (const login of ["manager1", "manager2", "agent1"] as const) {
        own[login] = await buildDeal(t, login, { title: `Скоуп ${login}` });
      }
    });
    const visible = async (login: TestLogin) => {
      const res = await t.app.inject({ url: "/api/v1/deals", query: { q: "скоуп" }, headers: t.as(login) });
      return res
        .json<Page<Deal>>()
        .items.map((d) => d.title)
        .sort();
    };

    it("shows managers their own deals, a supervisor the sales department's, an admin all", async () => {
      expect(await visible("manager1")).toEqual(["Скоуп manager1"]);
      expect(await visible("supervisor")).toEqual(["Скоуп manager1", "Скоуп manager2"]);
      expect(await visible("admin")).toEqual(["Скоуп agent1", "Скоуп manager1", "Скоуп manager2"]);
    });

    it("forbids reading, moving or deleting a deal outside the scope", async () => {
      const url = `/api/v1/deals/${own.agent1.id}`;
      const read = await t.app.inject({ url, headers: t.as("supervisor") });
      const move = await patch("manager1", own.agent1.id, { stageId: stage(main, "Успешно") });
      const del = await t.app.inject({ method: "DELETE", url, headers: t.as("manager2") });
      expect([read.statusCode, move.statusCode, del.statusCode]).toEqual([403, 403, 403]);
      const after = await t.app.inject({ url, headers: t.as("agent1") });
      expect(after.json()).toMatchObject({ stageId: own.agent1.stageId });
    });

    it("lets a supervisor hand a deal to another manager of the department", async () => {
      const res = await patch("supervisor", own.manager1.id, { ownerId: t.org.users.manager2.id });
      expect(res.json()).toMatchObject({ ownerId: t.org.users.manager2.id });
      const gone = await t.app.inject({ url: `/api/v1/deals/${own.manager1.id}`, headers: t.as("manager1") });
      expect(gone.statusCode).toBe(403);
    });
  });

  it("deletes a deal", async () => {
    const d = await buildDeal(t, "manager1");
    const del = await t.app.inject({
      method: "DELETE",
      url: `/api/v1/deals/${d.id}`,
      headers: t.as("manager1"),
    });
    expect(del.statusCode).toBe(204);
    expect(await t.db.knex("deals").where("id", d.id).first()).toBeUndefined();
  });
});
