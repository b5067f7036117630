import { describe, expect, it } from "vitest";
import {
  parseBool,
  parseDay,
  parseEmails,
  parseInn,
  parsePhones,
  parsePrice,
  parseVatRate,
  splitFullName,
} from "./parseCells.ts";

describe("splitFullName", () => {
  it("reads Фамилия Имя Отчество in the Russian order", () => {
    expect(splitFullName("Иванов Иван Иванович")).toEqual({
      lastName: "Иванов",
      firstName: "Иван",
      middleName: "Иванович",
    });
  });

  it("recognises Имя Отчество Фамилия by the patronymic in the middle", () => {
    expect(splitFullName("Мария Сергеевна Петрова")).toEqual({
      lastName: "Петрова",
      firstName: "Мария",
      middleName: "Сергеевна",
    });
  });

  it("takes two words as surname and name, one word as a name", () => {
    expect(splitFullName("  Смирнова   Ольга ")).toEqual({
      lastName: "Смирнова",
      firstName: "Ольга",
      middleName: null,
    });
    expect(splitFullName("Алексей")).toEqual({ lastName: null, firstName: "Алексей", middleName: null });
  });

  it("splits joined initials and keeps «оглы» with the patronymic", () => {
    expect(splitFullName("Кузнецов И.П.")).toEqual({
      lastName: "Кузнецов",
      firstName: "И.",
      middleName: "П.",
    });
    expect(splitFullName("Мамедов Ахмед Рза оглы")).toEqual({
      lastName: "Мамедов",
      firstName: "Ахмед",
      middleName: "Рза оглы",
    });
  });
});

describe("parsePhones", () => {
  it("reads several numbers written differently in one cell", () => {
    expect(parsePhones("8 912 345-67-89, +7 (495) 123-45-67; 89161234567")).toEqual({
      ok: true,
      value: ["+79123456789", "+74951234567", "+79161234567"],
    });
  });

  it("reads a number cell, drops an extension and repeats", () => {
    expect(parsePhones(79123456789)).toEqual({ ok: true, value: ["+79123456789"] });
    expect(parsePhones("+7 495 123-45-67 доб. 123\n+7 495 123 45 67")).toEqual({
      ok: true,
      value: ["+74951234567"],
    });
  });

  it("fails the cell when one piece is not a phone, quoting it", () => {
    expect(parsePhones("+7 912 345-67-89, 12-34")).toEqual({
      ok: false,
      reason: "«12-34» is not a phone number",
    });
  });

  it("reads an empty cell as no phones", () => {
    expect(parsePhones(null)).toEqual({ ok: true, value: [] });
  });
});

describe("parseEmails", () => {
  it("lower-cases and splits addresses", () => {
    expect(parseEmails("Ivan.Petrov@Mail.RU; sales@uyut.ru")).toEqual({
      ok: true,
      value: ["ivan.petrov@mail.ru", "sales@uyut.ru"],
    });
  });

  it("refuses a broken address", () => {
    expect(parseEmails("ivan@@mail")).toMatchObject({ ok: false });
  });
});

describe("parsePrice", () => {
  it.each([
    ["1 234,50", 123450],
    ["1234.5", 123450],
    ["1\u00a0234 руб.", 123400],
    ["1,234.50", 123450],
    ["1.234,50", 123450],
    ["99 ₽", 9900],
    ["0", 0],
  ])("reads %s as %i kopecks", (text, kopecks) => {
    expect(parsePrice(text)).toEqual({ ok: true, value: kopecks });
  });

  it("reads number cells without float noise", () => {
    expect(parsePrice(19.99)).toEqual({ ok: true, value: 1999 });
    expect(parsePrice(0.1 + 0.2)).toEqual({ ok: true, value: 30 });
  });

  it("refuses text that is not a price, and negative prices", () => {
    expect(parsePrice("договорная")).toMatchObject({ ok: false });
    expect(parsePrice("12,345,6")).toMatchObject({ ok: false });
    expect(parsePrice(-5)).toMatchObject({ ok: false });
  });

  it("reads an empty cell as no price", () => {
    expect(parsePrice("")).toEqual({ ok: true, value: null });
  });
});

describe("parseInn", () => {
  it("accepts a valid ИНН and restores the zero Excel dropped from a number cell", () => {
    expect(parseInn("7707083893")).toEqual({ ok: true, value: "7707083893" });
    expect(parseInn(105017001)).toEqual({ ok: true, value: "0105017001" });
  });

  it("refuses a wrong checksum", () => {
    expect(parseInn("7707083894")).toMatchObject({ ok: false });
  });
});

describe("other cells", () => {
  it("reads VAT rates as people write them", () => {
    expect(parseVatRate("20%")).toEqual({ ok: true, value: 20 });
    expect(parseVatRate(0.1)).toEqual({ ok: true, value: 10 });
    expect(parseVatRate("Без НДС")).toEqual({ ok: true, value: null });
    expect(parseVatRate("18%")).toMatchObject({ ok: false });
  });

  it("reads yes/no and days", () => {
    expect(parseBool("Да")).toEqual({ ok: true, value: true });
    expect(parseBool("нет")).toEqual({ ok: true, value: false });
    expect(parseDay("05.03.1987")).toEqual({ ok: true, value: "1987-03-05" });
    expect(parseDay("31.02.1987")).toMatchObject({ ok: false });
  });
});
