import { describe, expect, it } from "vitest";
import { guessField, resolveColumns } from "./columns.ts";

describe("guessField", () => {
  it.each([
    ["ФИО", "fullName"],
    ["Фамилия", "lastName"],
    ["Имя", "firstName"],
    ["Отчество", "middleName"],
    ["Телефон", "phone"],
    ["Мобильный телефон", "phone"],
    ["E-mail", "email"],
    ["Эл. почта", "email"],
    ["Компания", "company"],
    ["ИНН компании", "inn"],
    ["Должность", "position"],
    ["Ответственный", "owner"],
    ["Дата рождения", "birthday"],
    ["Phone", "phone"],
  ])("reads the contacts header «%s» as %s", (header, field) => {
    expect(guessField("contacts", header)).toBe(field);
  });

  it.each([
    ["Наименование", "name"],
    ["ИНН", "inn"],
    ["КПП", "kpp"],
    ["Юридический адрес", "address"],
    ["Ref_Key", "externalId"],
  ])("reads the companies header «%s» as %s", (header, field) => {
    expect(guessField("companies", header)).toBe(field);
  });

  it.each([
    ["Наименование", "name"],
    ["Артикул", "sku"],
    ["Цена", "price"],
    ["Цена с НДС, руб.", "price"],
    ["Ед. изм.", "unit"],
    ["Ставка НДС", "vatRate"],
  ])("reads the products header «%s» as %s", (header, field) => {
    expect(guessField("products", header)).toBe(field);
  });

  it("leaves unknown headers unread", () => {
    expect(guessField("contacts", "Длинное примечание менеджера")).toBe("note");
    expect(guessField("contacts", "Любимый цвет")).toBeNull();
  });
});

describe("resolveColumns", () => {
  it("lets a mapping override the guess, take unknown headers and drop columns", () => {
    const { columns, problems } = resolveColumns("contacts", ["Клиент", "Тел.", "Доп. номер", "Почта"], {
      "Доп. номер": "phone",
      Почта: "ignore",
    });
    expect(problems).toEqual([]);
    expect(columns.map((c) => c.field)).toEqual(["fullName", "phone", "phone", null]);
  });

  it("keeps the first of two columns for a single-value field", () => {
    const { columns } = resolveColumns("companies", ["Наименование", "Полное наименование"]);
    expect(columns.map((c) => c.field)).toEqual(["name", null]);
  });

  it("reports a mapping to a missing header or an unknown field, and a file without a name column", () => {
    expect(resolveColumns("contacts", ["ФИО"], { Телефон: "phone", ФИО: "salary" }).problems).toEqual([
      'the file has no column "Телефон"',
      "salary is not a field of contacts (one of fullName, lastName, firstName, middleName, phone, email, company, inn, position, birthday, note, owner, or ignore)",
      "no column holds the person's name (ФИО, Фамилия or Имя); name it in mapping",
    ]);
  });
});
