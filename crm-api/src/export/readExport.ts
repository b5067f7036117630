import ExcelJS from "exceljs";
import { expect } from "vitest";

/** Test helper: an exported CSV as lines of cells, without the BOM; test data has no line breaks in cells. */
export function csvLines(body: string): string[][] {
  expect(body.startsWith("\ufeff")).toBe(true);
  return body
    .slice(1)
    .split("\r\n")
    .filter(Boolean)
    .map((line) => line.split(";"));
}

/** Test helper: the first sheet of an exported XLSX as rows of cell values. */
export async function xlsxRows(body: Buffer): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ExcelJS.Buffer);
  const rows: unknown[][] = [];
  wb.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}
