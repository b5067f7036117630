import type { Company, ImportRun } from "@okno/contracts";
import iconv from "iconv-lite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildContact, uniqueInn } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { CSV_TYPE, XLSX_TYPE } from "./readFile.ts";
import { sampleXlsx } from "./sampleContacts.ts";
import { runImport } from "./testImports.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const post = (login: TestLogin, query: string, payload: Buffer | string, contentType = CSV_TYPE) =>
  t.app.inject({
    method: "POST",
    url: `/api/v1/imports?${query}`,
    headers: { ...t.as(login), "content-type": contentType },
    payload,
  });

describe("companies from a windows-1251 CSV with «;»", () => {
  it("decodes the text, checks ИНН, assigns owners in the importer's scope and skips known companies", async () => {
    const known = await buildCompany(t, "manager2", { name: "АО «Старый клиент»" });
    const inn = uniqueInn();
    const csv = [
      "Наименование;ИНН;КПП;Телефон;Юридический адрес;Ответственный",
      `ООО «Ёлочка»;${inn};770701001;8 (495) 123-45-67;г. Москва, ул. Тверская, д. 1;Тест manager2`,
      "ООО «Ошибка»;7707083894;;;;",
      `Старый клиент;${known.inn};;;;`,
      `ООО «Чужой»;${uniqueInn()};;;;agent1`,
    ].join("\r\n");
    const run = await runImport(
      t,
      "supervisor",
      iconv.encode(csv, "win1251"),
      `${CSV_TYPE}; charset=windows-1251`,
      {
        entity: "companies",
        fileName: "контрагенты.csv",
      },
    );

    expect(run).toMatchObject({
      status: "done",
      created: 1,
      skipped: 1,
      errors: 2,
      fileName: "контрагенты.csv",
    });
    expect(run.items).toEqual([
      expect.objectContaining({ row: 3, outcome: "error", field: "inn" }),
      expect.objectContaining({ row: 4, outcome: "skipped", recordId: known.id }),
      expect.objectContaining({ row: 5, outcome: "error", field: "owner" }),
    ]);
    const list = await t.app.inject({
      method: "GET",
      url: `/api/v1/companies?inn=${inn}`,
      headers: t.as("supervisor"),
    });
    expect(list.json<{ items: Company[] }>().items).toEqual([
      expect.objectContaining({
        name: "ООО «Ёлочка»",
        kpp: "770701001",
        phone: "+74951234567",
        address: "г. Москва, ул. Тверская, д. 1",
        ownerId: t.org.users.manager2.id,
      }),
    ]);
  });

  it("fills a known company in with onDuplicate=update and audits the change field by field", async () => {
    const known = await buildCompany(t, "manager1", { name: "ООО «Дополнить»" });
    const csv = `Наименование,ИНН,Адрес\r\n"ООО «Дополнить»",${known.inn},"г. Казань, ул. Баумана, 5"\r\n`;
    const run = await runImport(t, "manager1", Buffer.from(csv), CSV_TYPE, {
      entity: "companies",
      onDuplicate: "update",
      fileName: "update.csv",
    });

    expect(run).toMatchObject({
      created: 0,
      updated: 1,
      items: [expect.objectContaining({ row: 2, recordId: known.id })],
    });
    const audit = await t.db.knex("audit_log").where({ record_id: known.id, action: "update" }).first();
    expect(audit).toMatchObject({
      via: "import",
      user_id: t.org.users.manager1.id,
      changes: { address: { before: null, after: "г. Казань, ул. Баумана, 5" } },
      meta: { file: "update.csv", row: 2, importId: run.id },
    });
  });
});

describe("contacts", () => {
  it("adds new numbers and e-mails to a known contact on update, keeping what was there", async () => {
    const known = await buildContact(t, "manager1", {
      firstName: "Олег",
      phones: [{ phone: "+79031112233" }],
    });
    const file = await sampleXlsx({
      header: ["Фамилия", "Имя", "Телефоны", "Почта"],
      rows: [["Сидоров", "Олег", "8 903 111-22-33, +7 495 765-00-01", "Oleg@Sidorov.ru"]],
    });
    const run = await runImport(t, "manager1", file, XLSX_TYPE, {
      entity: "contacts",
      onDuplicate: "update",
    });

    expect(run).toMatchObject({ updated: 1, created: 0 });
    const contact = await t.app.inject({
      method: "GET",
      url: `/api/v1/contacts/${known.id}`,
      headers: t.as("manager1"),
    });
    expect(contact.json()).toMatchObject({
      lastName: "Сидоров",
      phones: [{ phone: "+79031112233" }, { phone: "+74957650001", kind: "work" }],
      emails: [{ email: "oleg@sidorov.ru" }],
    });
  });

  it("reads columns the mapping names, and refuses a mapping the file does not fit", async () => {
    const csv = "Клиент;Доп. телефон\nПетрова Анна;+7 916 555-44-33\n";
    const mapping = encodeURIComponent(JSON.stringify({ "Доп. телефон": "phone" }));
    const ok = await post("agent1", `entity=contacts&dryRun=true&mapping=${mapping}`, csv);
    expect(ok.statusCode).toBe(201);
    expect(ok.json<ImportRun>()).toMatchObject({
      created: 1,
      columns: [
        { header: "Клиент", field: "fullName" },
        { header: "Доп. телефон", field: "phone" },
      ],
    });

    const bad = await post(
      "agent1",
      `entity=contacts&mapping=${encodeURIComponent('{"Телефон":"salary"}')}`,
      csv,
    );
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json<{ error: { fields: object } }>().error.fields)).toEqual([
      "querystring.mapping",
    ]);
  });

  it("imports on behalf of a user when an administrator asks, and only then", async () => {
    const csv = "ФИО;Телефон\nКозлов Пётр;+7 926 700-00-01\n";
    const run = await runImport(t, "admin", Buffer.from(csv), CSV_TYPE, {
      entity: "contacts",
      as: "manager2",
    });
    expect(run).toMatchObject({ created: 1, userId: t.org.users.manager2.id });
    const audit = await t.db.knex("audit_log").where({ via: "import" }).orderBy("id", "desc").first();
    expect(audit.user_id).toBe(t.org.users.manager2.id);

    expect((await post("manager1", "entity=contacts&as=manager2", csv)).statusCode).toBe(403);
  });
});

describe("refused requests", () => {
  it("answers 400 naming the body for an empty, JSON or unreadable upload", async () => {
    const empty = await post("manager1", "entity=contacts", "");
    expect(empty.statusCode).toBe(400);
    const json = await t.app.inject({
      method: "POST",
      url: "/api/v1/imports?entity=contacts",
      headers: t.as("manager1"),
      payload: { name: "x" },
    });
    expect(json.statusCode).toBe(400);
    const broken = await post("manager1", "entity=contacts", Buffer.from("PK\u0003\u0004garbage"), XLSX_TYPE);
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ error: { fields: object } }>().error.fields).toHaveProperty("body");
  });

  it("refuses files over 20 MiB with 413", async () => {
    const res = await post("manager1", "entity=contacts", Buffer.alloc(21 * 1024 * 1024, 0x41));
    expect(res.statusCode).toBe(413);
  });

  it("lets only administrators import products, and shows a run only to its owner", async () => {
    const csv = "Наименование;Цена\nСтол;100\n";
    expect((await post("manager1", "entity=products", csv)).statusCode).toBe(403);
    const mine = await post("manager1", "entity=contacts&dryRun=true", "ФИО\nИванов Иван\n");
    const id = mine.json<ImportRun>().id;
    const other = await t.app.inject({
      method: "GET",
      url: `/api/v1/imports/${id}`,
      headers: t.as("manager2"),
    });
    expect(other.statusCode).toBe(404);
    const admin = await t.app.inject({ method: "GET", url: `/api/v1/imports/${id}`, headers: t.as("admin") });
    expect(admin.statusCode).toBe(200);
  });

  it("requires a signed-in user", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/imports?entity=contacts",
      payload: "ФИО\nА\n",
    });
    expect(res.statusCode).toBe(401);
  });
});
