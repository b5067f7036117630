import { validateScript } from "@okno/scripts-kb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb } from "../src/testDb.ts";
import { demoSalesScript, seedDemoScripts } from "./demoScripts.ts";

describe("demo scripts and knowledge base", () => {
  let db: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    db = await openTestDb();
    const [dept] = await db
      .knex("departments")
      .insert({ name: "Уют", path: "/x/" })
      .returning<{ id: string }[]>("id");
    await db.knex("roles").insert({ code: "admin", name: "Администратор", permissions: {} });
    const [admin] = await db
      .knex("users")
      .insert({
        login: "admin",
        password_hash: "x",
        full_name: "Админ",
        department_id: dept!.id,
        role_code: "admin",
      })
      .returning<{ id: string }[]>("id");
    await seedDemoScripts(db.knex, admin!.id);
  });
  afterAll(async () => {
    await db.drop();
  });

  it("ships a sales script that validates, with the three objections as answers", async () => {
    const version = await db
      .knex("call_script_versions")
      .first<{ graph: unknown; version: number }>("graph", "version");
    const result = validateScript(version.graph);
    expect(result.ok ? [] : result.problems).toEqual([]);
    const offer = demoSalesScript({}).nodes.find((n) => n.id === "offer") as { answers: { label: string }[] };
    expect(offer.answers.map((a) => a.label)).toEqual(
      expect.arrayContaining(["«Дорого»", "«Подумаю»", "«Уже работаем с другими»"]),
    );
  });

  it("assigns it to the main line and the tracking number", async () => {
    const lines = await db.knex("script_assignments").where("kind", "line").orderBy("value").pluck("value");
    expect(lines).toEqual(["+74951234567", "+74957654321"]);
  });

  it("links the script's nodes to articles that exist, and indexes the articles for search", async () => {
    const version = await db
      .knex("call_script_versions")
      .first<{ graph: { nodes: { articleIds?: string[] }[] } }>("graph");
    const linked = [...new Set(version.graph.nodes.flatMap((n) => n.articleIds ?? []))];
    expect(linked.length).toBeGreaterThan(0);
    expect(await db.knex("kb_articles").whereIn("id", linked).pluck("id")).toHaveLength(linked.length);
    const hits = await db
      .knex("kb_articles")
      .whereRaw("tsv @@ plainto_tsquery('russian', 'договора')")
      .pluck("title");
    expect(hits).toContain("Договор: как оформить заказ");
    expect(await db.knex("kb_lexemes").where("lexeme", "рассрочк").first()).toBeDefined();
  });
});
