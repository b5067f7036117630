import type { KbSearchHit } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

let t: TestApp;
const ids: Record<string, string> = {};

async function addArticle(key: string, body: Record<string, unknown>): Promise<void> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/kb/articles",
    headers: t.as("supervisor"),
    payload: body,
  });
  expect(res.statusCode, res.body).toBe(201);
  ids[key] = res.json<{ id: string }>().id;
}

async function search(q: string, as: TestLogin = "agent1"): Promise<KbSearchHit[]> {
  const res = await t.app.inject({
    method: "GET",
    url: `/api/v1/kb/search?q=${encodeURIComponent(q)}`,
    headers: t.as(as),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: KbSearchHit[] }>().items;
}

const titles = (hits: KbSearchHit[]) => hits.map((h) => h.title);

beforeAll(async () => {
  t = await startTestApp();
  await addArticle("contract", {
    title: "Договор поставки мебели",
    bodyMd: "## Порядок\nМенеджер готовит **документы** и отправляет их клиенту на подпись.",
  });
  await addArticle("delivery", {
    title: "Доставка по Москве",
    bodyMd:
      "Доставка бесплатна от 50 000 ₽. Перед доставкой клиент подписывает договор и <b onclick='x()'>акт</b>.",
  });
  await addArticle("calls", {
    title: "Входящие звонки",
    bodyMd: "Отвечайте до третьего гудка, представьтесь и назовите компанию.",
  });
  await addArticle("budget", {
    title: "Рекламный бюджет",
    bodyMd: "Договор с агентством продлевается ежеквартально.",
    roles: ["marketer"],
  });
  await addArticle("draft", {
    title: "Новый договор (черновик)",
    bodyMd: "Ещё не готово.",
    isPublished: false,
  });
});

afterAll(async () => {
  await t.close();
});

describe("GET /kb/search", () => {
  it("finds «договор» when asked for «договора», ranking the title match above the body match", async () => {
    const hits = await search("договора");
    expect(titles(hits)).toEqual(["Договор поставки мебели", "Доставка по Москве"]);
    expect(hits[0]!.isTitleMatch).toBe(true);
    expect(hits[1]!.isTitleMatch).toBe(false);
    expect(hits[1]!.snippet).toContain("<mark>договор</mark>");
  });

  it("finds «звонки» when asked for «звонок», which the Snowball stemmer alone does not", async () => {
    const stemmerAlone = await t.db.knex.raw<{ rows: { hit: boolean }[] }>(
      "select to_tsvector('russian', 'Входящие звонки') @@ plainto_tsquery('russian', 'звонок') as hit",
    );
    expect(stemmerAlone.rows[0]!.hit).toBe(false);
    expect(titles(await search("звонок"))).toEqual(["Входящие звонки"]);
  });

  it("tolerates one typo: «дговор» finds «договор»", async () => {
    expect(titles(await search("дговор"))).toEqual(["Договор поставки мебели", "Доставка по Москве"]);
  });

  it("needs every word of the query and ignores stop words", async () => {
    // «Договор поставки» follows as a one-letter variant (доставка ~ поставка), after the exact hit.
    expect(titles(await search("доставка и договор"))[0]).toBe("Доставка по Москве");
    expect(await search("договор гудка")).toEqual([]);
    expect(await search("и на в")).toEqual([]);
    expect(await search("холодильник")).toEqual([]);
  });

  it("shows only articles meant for the user's role; drafts only to editors", async () => {
    expect(titles(await search("договор", "agent1"))).not.toContain("Рекламный бюджет");
    expect(titles(await search("договор", "marketer"))).toContain("Рекламный бюджет");
    expect(titles(await search("договор", "agent1"))).not.toContain("Новый договор (черновик)");
    expect(titles(await search("договор", "supervisor"))).toContain("Новый договор (черновик)");
  });

  it("escapes the article's HTML in snippets: <mark> is the only markup", async () => {
    const [hit] = await search("акт");
    expect(hit!.snippet).toContain("&lt;b onclick='x()'&gt;");
    expect(hit!.snippet.replaceAll("<mark>", "").replaceAll("</mark>", "")).not.toMatch(/[<>]/);
  });

  it("forgets words an edit removes and learns the new ones", async () => {
    const res = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/kb/articles/${ids.calls}`,
      headers: t.as("admin"),
      payload: { title: "Приветствие клиента" },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await search("звонок")).toEqual([]);
    expect(titles(await search("приветствия"))).toEqual(["Приветствие клиента"]);
    const left = await t.db.knex("kb_lexemes").where("lexeme", "звонк").first();
    expect(left).toBeUndefined();
  });

  it("answers 400 naming q when it is missing", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/v1/kb/search", headers: t.as("agent1") });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("q");
  });
});
