import type { Pipeline } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_TYPE } from "../import/readFile.ts";
import { buildCompany, buildContact, buildDeal, buildLead, buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";
import { csvLines, xlsxRows } from "./readExport.ts";

let t: TestApp;
let sales: Pipeline;
const stage = (name: string) => sales.stages.find((s) => s.name === name)!.id;

beforeAll(async () => {
  t = await startTestApp();
  sales = await buildPipeline(t, { name: "Кухни", isDefault: true });
  const romashka = await buildCompany(t, "manager1", {
    name: "ООО «Ромашка»",
    inn: "7707083893",
    phone: "+74951234567",
    website: "romashka.ru",
    address: "г. Москва, ул. Ленина, д. 1",
  });
  await buildCompany(t, "manager1", { name: "=HYPERLINK(1)" });
  await buildCompany(t, "manager2", { name: "АО «Чужая»" });
  const petrov = await buildContact(t, "manager1", { lastName: "Петров", firstName: "Пётр" });
  await buildLead(t, "manager1", {
    title: "Кухня на заказ",
    amount: 15_000_050,
    utmSource: "yandex",
    utmCampaign: "kitchens",
  });
  await buildLead(t, "manager1", {
    title: "Шкаф-купе",
    status: "junk",
    contactName: null,
    contactId: petrov.id,
  });
  await buildLead(t, "manager2", { title: "Чужой лид" });
  await buildDeal(t, "manager1", {
    title: "Гарнитур для Ромашки",
    amount: 12_345_650,
    companyId: romashka.id,
    contactId: petrov.id,
    expectedCloseDate: "2026-12-25",
  });
  await buildDeal(t, "manager1", { title: "Выигранная сделка", stageId: stage("Успешно") });
  await buildDeal(t, "manager2", { title: "Чужая сделка" });
}, 120_000);
afterAll(() => t.close());

const download = (login: TestLogin, url: string) =>
  t.app.inject({ method: "GET", url: `/api/v1${url}`, headers: t.as(login) });

describe("companies export", () => {
  const headers = [
    "Наименование",
    "ИНН",
    "КПП",
    "ОГРН",
    "Телефон",
    "E-mail",
    "Сайт",
    "Адрес",
    "Ответственный",
    "Создана",
  ];

  it("writes the manager's own companies as CSV, a formula kept as text", async () => {
    const res = await download("manager1", "/companies/export?format=csv");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-disposition"]).toMatch(/filename="companies-\d{4}-\d{2}-\d{2}\.csv"/);
    const [header, ...rows] = csvLines(res.body);
    expect(header).toEqual(headers);
    expect(rows.map((r) => r[0])).toEqual(["'=HYPERLINK(1)", "ООО «Ромашка»"]);
    expect(rows[1]!.slice(0, 9)).toEqual([
      "ООО «Ромашка»",
      "7707083893",
      "",
      "",
      "8 (495) 123-45-67",
      "",
      "romashka.ru",
      "г. Москва, ул. Ленина, д. 1",
      "Тест manager1",
    ]);
  });

  it("gives the admin every company as XLSX, and a filter narrows it", async () => {
    const all = await xlsxRows((await download("admin", "/companies/export?format=xlsx")).rawPayload);
    expect(all[0]).toEqual(headers);
    expect(all.slice(1).map((r) => r[0])).toEqual(["=HYPERLINK(1)", "АО «Чужая»", "ООО «Ромашка»"]);
    expect(all[1]![9]).toBeInstanceOf(Date);
    const one = await download("admin", "/companies/export?format=xlsx&inn=7707083893");
    expect((await xlsxRows(one.rawPayload)).slice(1).map((r) => r[0])).toEqual(["ООО «Ромашка»"]);
  });

  it("answers a bad filter with a JSON 400 naming it", async () => {
    const res = await download("manager1", "/companies/export?inn=123");
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { fields: object } }>().error.fields).toHaveProperty(["querystring.inn"]);
  });
});

describe("leads export", () => {
  it("writes the manager's leads as CSV with roubles and kopecks, UTM tags and linked names", async () => {
    const res = await download("manager1", "/leads/export?format=csv&sort=createdAt");
    const [header, ...rows] = csvLines(res.body);
    expect(header).toEqual([
      "Название",
      "Статус",
      "Контакт",
      "Компания",
      "ИНН",
      "Телефон",
      "E-mail",
      "Сумма (руб.)",
      "Источник",
      "utm_source",
      "utm_medium",
      "utm_campaign",
      "utm_content",
      "utm_term",
      "Ответственный",
      "Создан",
    ]);
    expect(rows.map((r) => r[0])).toEqual(["Кухня на заказ", "Шкаф-купе"]);
    expect(rows[0]).toEqual(
      expect.arrayContaining(["Новый", "Петров Пётр Петрович", "150000,50", "yandex", "kitchens"]),
    );
    expect(rows[1]!.slice(1, 3)).toEqual(["Некачественный", "Петров Пётр"]);
  });

  it("gives the admin every lead as XLSX, money as a number, and a status filter narrows it", async () => {
    const all = await xlsxRows(
      (await download("admin", "/leads/export?format=xlsx&sort=createdAt")).rawPayload,
    );
    expect(all[0]!.slice(0, 2)).toEqual(["Название", "Статус"]);
    expect(all.slice(1).map((r) => r[0])).toEqual(["Кухня на заказ", "Шкаф-купе", "Чужой лид"]);
    expect(all[1]![7]).toBe(150_000.5);
    const junk = await download("admin", "/leads/export?format=xlsx&status=junk");
    expect((await xlsxRows(junk.rawPayload)).slice(1).map((r) => r[0])).toEqual(["Шкаф-купе"]);
  });
});

describe("deals export", () => {
  const headers = [
    "Название",
    "Воронка",
    "Стадия",
    "Сумма (руб.)",
    "Компания",
    "Контакт",
    "Ответственный",
    "Ожидаемое закрытие",
    "Создана",
    "Закрыта",
  ];

  it("writes the manager's deals as CSV with pipeline, stage, company and contact names", async () => {
    const res = await download("manager1", "/deals/export?format=csv&sort=createdAt");
    const [header, ...rows] = csvLines(res.body);
    expect(header).toEqual(headers);
    expect(rows.map((r) => r[0])).toEqual(["Гарнитур для Ромашки", "Выигранная сделка"]);
    expect(rows[0]!.slice(0, 8)).toEqual([
      "Гарнитур для Ромашки",
      "Кухни",
      "Новая",
      "123456,50",
      "ООО «Ромашка»",
      "Петров Пётр",
      "Тест manager1",
      "25.12.2026",
    ]);
    expect(rows[0]![9]).toBe("");
    expect(rows[1]![2]).toBe("Успешно");
    expect(rows[1]![9]).toMatch(/^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$/);
  });

  it("gives the admin every deal as XLSX, and a stage filter narrows it", async () => {
    const res = await download("admin", "/deals/export?sort=createdAt");
    expect(res.headers["content-type"]).toBe(XLSX_TYPE);
    const all = await xlsxRows(res.rawPayload);
    expect(all[0]).toEqual(headers);
    expect(all.slice(1).map((r) => r[0])).toEqual([
      "Гарнитур для Ромашки",
      "Выигранная сделка",
      "Чужая сделка",
    ]);
    expect(all[1]![3]).toBe(123_456.5);
    const won = await download("admin", `/deals/export?format=csv&stageId=${stage("Успешно")}`);
    expect(
      csvLines(won.body)
        .slice(1)
        .map((r) => r[0]),
    ).toEqual(["Выигранная сделка"]);
  });
});
