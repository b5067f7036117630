import { Readable, PassThrough } from "node:stream";
import ExcelJS from "exceljs";

/** A cell of an export: text, a number, an instant (shown as a Moscow date and time), or empty. */
export type ExportValue = string | number | Date | null;

export interface ExportColumn<T> {
  header: string;
  /** Column width in characters (XLSX). */
  width?: number;
  /** "money": the value is roubles, shown with kopecks (two decimals). */
  format?: "money";
  value: (item: T) => ExportValue;
}

/** Columns of an export, and what must be loaded for a page before its rows are written. */
export interface ExportTable<T> {
  columns: ExportColumn<T>[];
  preparePage?: (items: T[]) => Promise<void>;
}

/** Pages of items, fetched one after another (keyset), so an export never holds the whole list. */
export type Pages<T> = AsyncIterable<T[]>;

// Users see times in the company's zone; there is no per-user zone yet, and the customers are in Moscow time.
const TIME_ZONE = "Europe/Moscow";
const MOSCOW_OFFSET_MS = 3 * 3600_000;
const dateTime = new Intl.DateTimeFormat("ru-RU", {
  timeZone: TIME_ZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});

/**
 * Excel runs a CSV cell that starts with = + - @ as a formula (CSV injection): such text is prefixed with
 * an apostrophe. Phones are written in the national form («8 (912) …») for this reason (exportColumns.ts).
 */
function csvCell(value: ExportValue, format?: "money"): string {
  if (value === null) {
    return "";
  }
  if (format === "money" && typeof value === "number") {
    // The Russian locale's decimal separator, so Excel reads «1234,50» as a number.
    return value.toFixed(2).replace(".", ",");
  }
  let text = value instanceof Date ? dateTime.format(value).replace(",", "") : String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[";\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * CSV as Russian Excel opens it with a double click: UTF-8 with a BOM (without it Excel assumes 1251)
 * and «;» between cells (the list separator of the Russian locale).
 */
export function csvStream<T>(columns: ExportColumn<T>[], pages: Pages<T>): Readable {
  async function* lines(): AsyncGenerator<string> {
    yield `\ufeff${columns.map((c) => csvCell(c.header)).join(";")}\r\n`;
    for await (const page of pages) {
      yield page
        .map((item) => `${columns.map((c) => csvCell(c.value(item), c.format)).join(";")}\r\n`)
        .join("");
    }
  }
  return Readable.from(lines());
}

/** XLSX has no time zones: an instant is written as the Moscow wall-clock time it shows. */
function xlsxCell(value: ExportValue): string | number | Date | null {
  return value instanceof Date ? new Date(value.getTime() + MOSCOW_OFFSET_MS) : value;
}

/**
 * XLSX written row by row (exceljs's streaming writer): each page is committed and flushed before the next
 * is fetched, waiting while the client reads slower than we write.
 */
export function xlsxStream<T>(sheetName: string, columns: ExportColumn<T>[], pages: Pages<T>): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: "frozen", ySplit: 1 }] });
  sheet.columns = columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 18 }));
  sheet.getRow(1).font = { bold: true };
  const write = async () => {
    for await (const page of pages) {
      for (const item of page) {
        const row = sheet.addRow(columns.map((c) => xlsxCell(c.value(item))));
        columns.forEach((c, i) => {
          if (c.format === "money") {
            row.getCell(i + 1).numFmt = "#,##0.00";
          } else if (c.value(item) instanceof Date) {
            row.getCell(i + 1).numFmt = "dd.mm.yyyy hh:mm";
          }
        });
        row.commit();
      }
      if (out.writableNeedDrain) {
        await new Promise((resolve) => out.once("drain", resolve));
      }
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => out.destroy(err instanceof Error ? err : new Error(String(err))));
  return out;
}
