import type { KbArticle, KbCategory } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../test/testApp.ts";

describe("knowledge base articles and categories", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it("lets supervisors write and agents only read what their role may see", async () => {
    const cat = await t.app.inject({
      method: "POST",
      url: "/api/v1/kb/categories",
      headers: t.as("supervisor"),
      payload: { name: "Скидки" },
    });
    expect(cat.statusCode, cat.body).toBe(201);
    const categoryId = cat.json<KbCategory>().id;
    const post = (payload: object, as: "supervisor" | "agent1" = "supervisor") =>
      t.app.inject({ method: "POST", url: "/api/v1/kb/articles", headers: t.as(as), payload });
    expect((await post({ title: "Моя статья", bodyMd: "текст" }, "agent1")).statusCode).toBe(403);
    const open = (await post({ title: "Для всех", bodyMd: "текст", categoryId })).json<KbArticle>();
    const secret = (
      await post({ title: "Для менеджеров", bodyMd: "текст", categoryId, roles: ["manager"] })
    ).json<KbArticle>();
    const get = (id: string, as: "agent1" | "manager1") =>
      t.app.inject({ method: "GET", url: `/api/v1/kb/articles/${id}`, headers: t.as(as) });
    expect((await get(open.id, "agent1")).statusCode).toBe(200);
    expect((await get(secret.id, "agent1")).statusCode).toBe(404);
    expect((await get(secret.id, "manager1")).statusCode).toBe(200);
    const cats = await t.app.inject({ method: "GET", url: "/api/v1/kb/categories", headers: t.as("agent1") });
    expect(cats.json<{ items: KbCategory[] }>().items).toContainEqual(
      expect.objectContaining({ name: "Скидки", articleCount: 1 }),
    );
    const audit = await t.db
      .knex("audit_log")
      .where({ entity: "kb_articles", record_id: secret.id, action: "create" });
    expect(audit).toHaveLength(1);
  });

  it("attaches uploaded files and refuses unknown ones and unknown categories, naming the field", async () => {
    const upload = await t.app.inject({
      method: "POST",
      url: "/api/v1/files?name=price.pdf",
      headers: { ...t.as("supervisor"), "content-type": "application/pdf" },
      payload: Buffer.from("%PDF-1.4"),
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const fileId = upload.json<{ id: string }>().id;
    const ok = await t.app.inject({
      method: "POST",
      url: "/api/v1/kb/articles",
      headers: t.as("admin"),
      payload: { title: "Прайс", bodyMd: "См. файл", attachmentIds: [fileId] },
    });
    expect(ok.json<KbArticle>().attachments).toEqual([
      expect.objectContaining({ fileId, name: "price.pdf" }),
    ]);
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/kb/articles",
      headers: t.as("admin"),
      payload: {
        title: "Прайс",
        bodyMd: "x",
        attachmentIds: [crypto.randomUUID()],
        categoryId: crypto.randomUUID(),
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ error: { fields: Record<string, string> } }>().error.fields).toHaveProperty([
      "body.categoryId",
    ]);
  });
});
