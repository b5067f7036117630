import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { headerScore } from "./columns.ts";
import { decodeText, detectDelimiter, FileError, readSheet } from "./readFile.ts";

const contactsHeader = (cells: string[]) => headerScore("contacts", cells);

describe("decodeText", () => {
  it("reads UTF-8 with and without BOM", () => {
    const text = "ФИО;Телефон\nИванов Иван;+79123456789\n";
    expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: "utf-8" });
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decodeText(withBom)).toEqual({ text, encoding: "utf-8" });
  });

  it("reads bytes that are not UTF-8 as windows-1251", () => {
    const text = "Наименование;ИНН\nООО «Ёлка»;7707083893\n";
    expect(decodeText(iconv.encode(text, "win1251"))).toEqual({ text, encoding: "windows-1251" });
  });
});

describe("detectDelimiter", () => {
  it("picks the separator of the header line, ignoring quoted text", () => {
    expect(detectDelimiter("ФИО;Телефон;E-mail\n1,2,3,4")).toBe(";");
    expect(detectDelimiter('"Иванов, Иван",Телефон,E-mail')).toBe(",");
    expect(detectDelimiter("ФИО\tТелефон")).toBe("\t");
    expect(detectDelimiter("ФИО")).toBe(";");
  });
});

describe("readSheet", () => {
  it("numbers CSV rows as Excel does and skips blank ones", async () => {
    const csv = 'ФИО;Телефон\n"Иванов\nИван";8 912 345-67-89\n;\nПетров Пётр;+7 916 000-00-01\n';
    const sheet = await readSheet(Buffer.from(csv), contactsHeader);
    expect(sheet.headers).toEqual(["ФИО", "Телефон"]);
    expect(sheet.rows).toEqual([
      { row: 2, cells: ["Иванов\nИван", "8 912 345-67-89"] },
      { row: 4, cells: ["Петров Пётр", "+7 916 000-00-01"] },
    ]);
  });

  it("finds the header under a title line in an XLSX and reads typed cells", async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("Клиенты");
    ws.addRow(["Выгрузка клиентов на 23.11.2026"]);
    ws.addRow(["ФИО", "Телефон", "Дата рождения", "Компания"]);
    ws.addRow([
      "Смирнова Ольга",
      79123456789,
      new Date(Date.UTC(1990, 4, 1)),
      { richText: [{ text: "ООО " }, { text: "«Уют»" }] },
    ]);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const sheet = await readSheet(bytes, contactsHeader);
    expect(sheet.headerRow).toBe(2);
    expect(sheet.rows).toEqual([
      { row: 3, cells: ["Смирнова Ольга", 79123456789, new Date(Date.UTC(1990, 4, 1)), "ООО «Уют»"] },
    ]);
  });

  it("refuses an old .xls and an empty file", async () => {
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
    await expect(readSheet(xls, contactsHeader)).rejects.toThrow(FileError);
    await expect(readSheet(Buffer.from("\n\n"), contactsHeader)).rejects.toThrow("the file has no rows");
  });
});
