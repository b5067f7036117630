import type { SourceList } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/testApp.ts";

describe("sources", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.db.knex("sources").insert([
      { name: "Яндекс.Директ", utm_source: "yandex" },
      { name: "Авито", utm_source: null },
      { name: "Газета «Из рук в руки»", is_active: false },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  const list = (query = "") => t.app.inject({ url: `/api/v1/sources${query}`, headers: t.as("agent1") });

  it("lists the sources by name to any signed-in user, retired ones only when asked for all", async () => {
    const all = (await list()).json<SourceList>().items;
    const names = all.map((s) => s.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(all.find((s) => s.name === "Яндекс.Директ")).toMatchObject({
      utmSource: "yandex",
      isActive: true,
    });
    expect(names).toContain("Газета «Из рук в руки»");
    const active = (await list("?active=true")).json<SourceList>().items.map((s) => s.name);
    expect(active).toContain("Авито");
    expect(active).not.toContain("Газета «Из рук в руки»");
  });

  it("answers 401 without a session and 400 naming a bad filter", async () => {
    expect((await t.app.inject({ url: "/api/v1/sources" })).statusCode).toBe(401);
    const bad = await list("?active=maybe");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("active");
  });
});
