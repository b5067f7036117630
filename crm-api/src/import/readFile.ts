import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import iconv from "iconv-lite";
import { cellText, type CellValue } from "./parseCells.ts";

export type FileKind = "xlsx" | "csv";

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
export const CSV_TYPE = "text/csv";

/** More data rows than this is not a customer list but a mistake (or an attack on memory). */
export const MAX_ROWS = 100_000;

/** The file cannot be read at all: the request is refused with 400 naming the body. */
export class FileError extends Error {}

/** One non-blank row of the sheet; `row` is the number the spreadsheet shows (the first row is 1). */
export interface SheetRow {
  row: number;
  cells: CellValue[];
}

export interface Sheet {
  headers: string[];
  headerRow: number;
  rows: SheetRow[];
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * What the bytes are. The content itself decides (an XLSX is a ZIP archive), since browsers and scripts
 * label files loosely; an old binary .xls is refused with advice.
 */
export function fileKindOf(bytes: Buffer): FileKind {
  if (bytes.subarray(0, 4).equals(ZIP_MAGIC)) {
    return "xlsx";
  }
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) {
    throw new FileError("this is an old Excel 97–2003 (.xls) file: save it as .xlsx or CSV");
  }
  return "csv";
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * CSV text in UTF-8 (with or without BOM) or windows-1251, which Russian Excel and 1C write by default.
 * Bytes that are not valid UTF-8 are read as 1251: Cyrillic in 1251 is almost never valid UTF-8.
 */
export function decodeText(bytes: Buffer): { text: string; encoding: "utf-8" | "windows-1251" } {
  const body = bytes.subarray(0, 3).equals(UTF8_BOM) ? bytes.subarray(3) : bytes;
  try {
    return { text: utf8.decode(body), encoding: "utf-8" };
  } catch {
    return { text: iconv.decode(body, "win1251"), encoding: "windows-1251" };
  }
}

/** The separator of a CSV, from its first line: Russian Excel writes «;», the rest of the world «,». */
export function detectDelimiter(text: string): ";" | "," | "\t" {
  const counts = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
    } else if (!quoted && (ch === "\n" || ch === "\r")) {
      break;
    } else if (!quoted && ch in counts) {
      counts[ch as keyof typeof counts] += 1;
    }
  }
  const best = (Object.keys(counts) as (keyof typeof counts)[]).sort((a, b) => counts[b] - counts[a])[0]!;
  return counts[best] > 0 ? best : ";";
}

function readCsv(bytes: Buffer): SheetRow[] {
  const { text } = decodeText(bytes);
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: detectDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
    });
  } catch (err) {
    throw new FileError(`not a readable CSV file: ${err instanceof Error ? err.message : String(err)}`);
  }
  // Excel numbers CSV records, not text lines, so a quoted multi-line cell is still one row.
  return records.map((cells, i) => ({ row: i + 1, cells }));
}

/** A cell of exceljs as a plain value: rich text joined, a formula's result, a hyperlink's text. */
function plainCell(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) {
    return null;
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") {
    return value;
  }
  if (value instanceof Date) {
    return value;
  }
  if ("richText" in value) {
    return value.richText.map((r) => r.text).join("");
  }
  if ("formula" in value || "sharedFormula" in value) {
    return plainCell((value as ExcelJS.CellFormulaValue).result ?? null);
  }
  if ("text" in value) {
    return plainCell(value.text);
  }
  return null; // an error cell (#N/A, #DIV/0!)
}

async function readXlsx(bytes: Buffer): Promise<SheetRow[]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (err) {
    throw new FileError(`not a readable XLSX file: ${err instanceof Error ? err.message : String(err)}`);
  }
  // The first sheet with data: exports from 1C sometimes start with an empty sheet.
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) {
    return [];
  }
  const rows: SheetRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    // row.values is 1-based: index 0 is always empty.
    rows.push({ row: rowNumber, cells: values.slice(1).map(plainCell) });
  });
  return rows;
}

const isBlank = (r: SheetRow) => r.cells.every((c) => cellText(c) === "");

/**
 * Reads the first sheet of an XLSX or a CSV into a header and rows. The header is the first of the first
 * ten rows that `scoreHeader` likes (a title line above the table is common), else the first row.
 */
export async function readSheet(bytes: Buffer, scoreHeader: (cells: string[]) => number): Promise<Sheet> {
  const all = (fileKindOf(bytes) === "xlsx" ? await readXlsx(bytes) : readCsv(bytes)).filter(
    (r) => !isBlank(r),
  );
  if (all.length === 0) {
    throw new FileError("the file has no rows");
  }
  const candidates = all.slice(0, 10);
  const headerIndex = Math.max(
    0,
    candidates.findIndex((r) => scoreHeader(r.cells.map(cellText)) >= 2),
  );
  const header = all[headerIndex]!;
  const rows = all.slice(headerIndex + 1);
  if (rows.length > MAX_ROWS) {
    throw new FileError(`the file has ${rows.length} rows; at most ${MAX_ROWS} are imported at once`);
  }
  return { headers: header.cells.map(cellText), headerRow: header.row, rows };
}
