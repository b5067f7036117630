import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrateLatest, migrateRollbackAll } from "./migrate.ts";
import { openTestDb } from "./testDb.ts";

describe("migrations", () => {
  let db: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    db = await openTestDb();
  });
  afterAll(async () => {
    await db.drop();
  });

  it("roll back to nothing and apply again", async () => {
    await migrateRollbackAll(db.knex);
    const left = await db.knex.raw<{ rows: { n: number }[] }>(
      "select count(*)::int as n from information_schema.tables where table_schema = 'public' and table_name = 'contacts'",
    );
    expect(left.rows[0]?.n).toBe(0);
    const ran = await migrateLatest(db.knex);
    expect(ran.length).toBeGreaterThan(0);
  });

  it("keep one phone number on one contact only", async () => {
    const [dept] = await db
      .knex("departments")
      .insert({ name: "Продажи", path: "/x/" })
      .returning<{ id: string }[]>("id");
    await db.knex("roles").insert({ code: "agent", name: "Оператор", permissions: {} });
    const [user] = await db
      .knex("users")
      .insert({ login: "a", password_hash: "x", full_name: "A", department_id: dept!.id, role_code: "agent" })
      .returning<{ id: string }[]>("id");
    const contacts = await db
      .knex("contacts")
      .insert([
        { first_name: "Иван", owner_id: user!.id },
        { first_name: "Пётр", owner_id: user!.id },
      ])
      .returning<{ id: string }[]>("id");
    await db.knex("contact_phones").insert({ contact_id: contacts[0]!.id, phone: "+79123456789" });
    await expect(
      db.knex("contact_phones").insert({ contact_id: contacts[1]!.id, phone: "+79123456789" }),
    ).rejects.toThrow(/unique|duplicate/i);
  });
});
