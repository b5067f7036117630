import { isValidInn } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../src/testDb.ts";
import { isEmpty, seedDemo } from "./demo.ts";

describe("demo seed", () => {
  let db: Awaited<ReturnType<typeof openTestDb>>;
  const steps: string[] = [];
  beforeAll(async () => {
    db = await openTestDb();
    expect(await isEmpty(db.knex)).toBe(true);
    await seedDemo(db.knex, "not-a-real-hash", (step) => steps.push(step));
  });
  afterAll(async () => {
    await db.drop();
  });

  it("reports progress through every step", () => {
    expect(steps).toEqual(["users", "catalog", "customers", "work", "done"]);
  });

  it("creates 25 users with the documented logins and extensions, in sales, marketing and call-center", async () => {
    const users = await db
      .knex("users as u")
      .join("departments as d", "d.id", "u.department_id")
      .select("u.login", "u.extension", "u.role_code", "d.name");
    expect(users).toHaveLength(25);
    const byLogin = new Map(users.map((u: { login: string }) => [u.login, u]));
    for (const login of [
      "admin",
      "supervisor",
      "manager1",
      "manager2",
      "agent1",
      "agent2",
      "agent3",
      "marketer",
    ]) {
      expect(byLogin.has(login)).toBe(true);
    }
    expect(byLogin.get("agent1")).toMatchObject({ extension: "101", role_code: "agent", name: "Колл-центр" });
    expect(byLogin.get("agent3")).toMatchObject({ extension: "103" });
    expect(new Set(users.map((u: { role_code: string }) => u.role_code))).toEqual(
      new Set(["admin", "supervisor", "manager", "agent", "marketer"]),
    );
  });

  it("creates the main pipeline with the stages of the brief, in order", async () => {
    const stages = await db
      .knex("stages as s")
      .join("pipelines as p", "p.id", "s.pipeline_id")
      .where("p.is_default", true)
      .orderBy("s.sort")
      .pluck("s.name");
    expect(stages).toEqual([
      "Новая заявка",
      "Взят в работу",
      "КП",
      "Договор",
      "Счет",
      "Запуск реализации",
      "Принят",
      "К отгрузке",
      "Отгружен/Доставлен",
      "Сделка успешна",
      "Сделка провалена",
    ]);
    expect(await db.knex("pipelines").count<{ n: number }[]>("* as n")).toEqual([{ n: 2 }]);
  });

  it("gives every company a valid ИНН and every contact an E.164 phone", async () => {
    const inns: string[] = await db.knex("companies").pluck("inn");
    expect(inns.length).toBe(60);
    expect(inns.every(isValidInn)).toBe(true);
    const phones: string[] = await db.knex("contact_phones").pluck("phone");
    expect(phones.length).toBeGreaterThan(300);
    expect(phones.every((p) => /^\+7\d{10}$/.test(p))).toBe(true);
    expect(await db.knex("contacts").count<{ n: number }[]>("* as n")).toEqual([{ n: 300 }]);
  });

  it("maps the demo tracking number to Яндекс.Директ / «Контекст — кухни»", async () => {
    const row = await db
      .knex("tracking_numbers as t")
      .join("sources as s", "s.id", "t.source_id")
      .join("campaigns as c", "c.id", "t.campaign_id")
      .where("t.phone", "+74957654321")
      .first("s.name as source", "c.name as campaign");
    expect(row).toEqual({ source: "Яндекс.Директ", campaign: "Контекст — кухни" });
  });
});
