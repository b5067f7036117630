import { randomUUID } from "node:crypto";
import type { ImportRun } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_TYPE } from "../import/readFile.ts";
import { runImport } from "../import/testImports.ts";
import { buildContact, buildTask } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { csvLines, xlsxRows } from "./readExport.ts";

let t: TestApp;
const BULK = 1_050;

beforeAll(async () => {
  t = await startTestApp();
  await buildContact(t, "manager1", {
    lastName: "Соколова",
    firstName: "Ирина",
    middleName: "Петровна",
    phones: [{ phone: "+79161234567" }, { phone: "+74951112233" }],
    emails: [{ email: "irina@sokolova.ru" }],
    note: '=HYPERLINK("http://evil")',
  });
  await buildContact(t, "manager1", {
    lastName: "Орлов",
    firstName: "Павел",
    phones: [{ phone: "+79161234568" }],
  });
  await buildContact(t, "manager2", {
    lastName: "Чужой",
    firstName: "Клиент",
    phones: [{ phone: "+79161234569" }],
  });
  // More contacts than one export page, inserted directly: the export must page through all of them.
  const owner = t.org.users.manager2.id;
  await t.db.knex("contacts").insert(
    Array.from({ length: BULK }, (_, i) => ({
      id: randomUUID(),
      first_name: `Клиент ${i}`,
      owner_id: owner,
    })),
  );
  await buildTask(t, "manager1", { title: "Перезвонить Соколовой", type: "callback", phone: "+79161234567" });
  await buildTask(t, "manager2", { title: "Чужая задача" });
}, 120_000);
afterAll(() => t.close());

const download = (login: TestLogin, url: string) =>
  t.app.inject({ method: "GET", url: `/api/v1${url}`, headers: t.as(login) });

describe("contacts export", () => {
  it("writes CSV for Russian Excel: BOM, «;», Russian headers, national phones, only the user's contacts", async () => {
    const res = await download("manager1", "/contacts/export?format=csv&sort=name");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toMatch(
      /^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...rows] = csvLines(res.body);
    expect(header!.slice(0, 6)).toEqual(["Фамилия", "Имя", "Отчество", "Телефон", "E-mail", "Компания"]);
    expect(rows.map((r) => r[0])).toEqual(["Орлов", "Соколова"]);
    expect(rows[1]!.slice(0, 5)).toEqual([
      "Соколова",
      "Ирина",
      "Петровна",
      "8 (916) 123-45-67, 8 (495) 111-22-33",
      "irina@sokolova.ru",
    ]);
    // A formula stays text: Excel must not run it.
    expect(rows[1]![8]).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(rows[1]![9]).toBe("Тест manager1");
  });

  it("writes XLSX with the same rows and filters as the list", async () => {
    const res = await download("manager1", "/contacts/export?format=xlsx&q=Соколова");
    expect(res.headers["content-type"]).toBe(XLSX_TYPE);
    const rows = await xlsxRows(res.rawPayload);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.slice(0, 3)).toEqual(["Фамилия", "Имя", "Отчество"]);
    expect(rows[1]!.slice(0, 4)).toEqual([
      "Соколова",
      "Ирина",
      "Петровна",
      "8 (916) 123-45-67, 8 (495) 111-22-33",
    ]);
    expect(rows[1]![10]).toBeInstanceOf(Date);
  });

  it("pages through every contact in the user's scope", async () => {
    const res = await download("supervisor", "/contacts/export?format=csv");
    expect(csvLines(res.body)).toHaveLength(1 + 3 + BULK);
    const own = await download("manager2", "/contacts/export?format=xlsx");
    expect(await xlsxRows(own.rawPayload)).toHaveLength(1 + 1 + BULK);
  });

  it("answers a bad filter with a JSON 400 naming it, before any file starts", async () => {
    const res = await download("manager1", "/contacts/export?format=csv&ownerId=nobody");
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: object } }>().error.fields).toHaveProperty(["querystring.ownerId"]);
    expect((await download("manager1", "/contacts/export?format=pdf")).statusCode).toBe(400);
  });

  it("gives a file the import reads back: every row is a known contact", async () => {
    const res = await download("manager1", "/contacts/export");
    const run: ImportRun = await runImport(t, "manager1", res.rawPayload, XLSX_TYPE, {
      entity: "contacts",
      dryRun: "true",
    });
    expect(run).toMatchObject({ total: 2, created: 0, skipped: 2, errors: 0 });
    expect(run.columns.filter((c) => c.field !== null).map((c) => c.field)).toEqual([
      "lastName",
      "firstName",
      "middleName",
      "phone",
      "email",
      "company",
      "position",
      "birthday",
      "note",
      "owner",
    ]);
  });
});

describe("tasks export", () => {
  it("exports the user's tasks with their filters", async () => {
    const res = await download("manager1", "/tasks/export?format=csv&type=callback");
    const [header, ...rows] = csvLines(res.body);
    expect(header!.slice(0, 4)).toEqual(["Тип", "Задача", "Описание", "Статус"]);
    expect(rows).toEqual([
      expect.arrayContaining(["Перезвонить", "Перезвонить Соколовой", "Открыта", "8 (916) 123-45-67"]),
    ]);
    const all = await download("admin", "/tasks/export?format=xlsx");
    expect(await xlsxRows(all.rawPayload)).toHaveLength(3);
  });
});
