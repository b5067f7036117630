import { completeInn } from "@okno/contracts";
import { createRandom, demoNames } from "@okno/db";
import ExcelJS from "exceljs";

// A generated customer list such as a company brings when it moves to Okno: used by the import tests and
// by `npm run bench:import`. Deterministic for a seed, and it knows which of its rows are duplicates or
// broken, so a test can compare the import report with the truth row by row.

// The first twelve surnames of the demo seed.
const SURNAMES = demoNames.SURNAMES.slice(0, 12);
const MALE = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Иван", "Михаил"];
const FEMALE = ["Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Екатерина"];
const PATRONYMICS: [string, string][] = [
  ["Александрович", "Александровна"],
  ["Сергеевич", "Сергеевна"],
  ["Иванович", "Ивановна"],
  ["Петрович", "Петровна"],
];
const POSITIONS = ["Директор", "Главный бухгалтер", "Менеджер по закупкам", "Инженер", null];
const MOBILE_CODES = [912, 916, 926, 903, 905, 915, 925, 965, 977, 999];

export const SAMPLE_HEADER = ["ФИО", "Телефон", "E-mail", "Компания", "ИНН", "Должность"];

/** The n-th number of the generator: every n gives a distinct valid Russian mobile number. */
export function samplePhone(n: number): string {
  return `+7${MOBILE_CODES[n % MOBILE_CODES.length]}${String(Math.floor(n / MOBILE_CODES.length)).padStart(7, "0")}`;
}

/** The same number as a person types it: four spellings, and sometimes a number cell (Excel's habit). */
function spelled(e164: string, style: number): string | number {
  const [code, a, b, c] = [e164.slice(2, 5), e164.slice(5, 8), e164.slice(8, 10), e164.slice(10, 12)];
  switch (style % 5) {
    case 0:
      return `+7 ${code} ${a}-${b}-${c}`;
    case 1:
      return `8 (${code}) ${a}-${b}-${c}`;
    case 2:
      return `8${code}${a}${b}${c}`;
    case 3:
      return Number(`7${code}${a}${b}${c}`);
    default:
      return `+7${code}${a}${b}${c}`;
  }
}

export type BrokenField = "phone" | "email" | "firstName" | "inn";
const BROKEN: BrokenField[] = ["phone", "email", "firstName", "inn"];

export interface SampleExpectation {
  /** Spreadsheet row (the header is row 1). */
  row: number;
  outcome: "skipped" | "error";
  /** For an error, the field the report must name. */
  field?: BrokenField;
  /** For a repeat inside the file, the row it repeats. */
  duplicateOfRow?: number;
  /** For a duplicate of an existing contact, that contact's phone. */
  existingPhone?: string;
}

export interface SampleContacts {
  header: string[];
  rows: (string | number | null)[][];
  /** Contacts to store before the import: rows of the file repeat their phones. */
  existing: { lastName: string; firstName: string; phone: string }[];
  expected: SampleExpectation[];
  /** Rows the import creates. */
  creates: number;
}

function person(i: number, r: () => number): { name: string; last: string; first: string; email: string } {
  const female = r() < 0.5;
  const last = `${SURNAMES[i % SURNAMES.length]}${female ? "а" : ""}`;
  const first = (female ? FEMALE : MALE)[Math.floor(r() * MALE.length)]!;
  const middle = PATRONYMICS[Math.floor(r() * PATRONYMICS.length)]![female ? 1 : 0];
  return { name: `${last} ${first} ${middle}`, last, first, email: `client${i}@example.ru` };
}

const pick = <T>(items: T[], r: () => number): T => items[Math.floor(r() * items.length)]!;

/**
 * `rows` contacts with exactly `duplicateShare` duplicates (half repeat an earlier row's phone in another
 * spelling, half repeat an existing contact's phone) and `brokenShare` broken rows (a bad phone, e-mail,
 * ИНН or an empty name, in turn). Every fifth row names one of 40 companies with a valid ИНН.
 */
export function buildSampleContacts(
  rows: number,
  seed = 20261123,
  duplicateShare = 0.05,
  brokenShare = 0.02,
): SampleContacts {
  // The demo seed's PRNG (mulberry32): the same seed gives the same file on every machine.
  const r = createRandom(seed).next;
  const duplicates = Math.round(rows * duplicateShare);
  const broken = Math.round(rows * brokenShare);
  // Roles by position: row 0 stays clean so that every in-file duplicate has an earlier row to repeat.
  const order = Array.from({ length: rows - 1 }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const k = Math.floor(r() * (i + 1));
    [order[i], order[k]] = [order[k]!, order[i]!];
  }
  const role = new Map<number, "fileDup" | "existingDup" | BrokenField>();
  order.slice(0, duplicates).forEach((i, k) => role.set(i, k % 2 === 0 ? "fileDup" : "existingDup"));
  order.slice(duplicates, duplicates + broken).forEach((i, k) => role.set(i, BROKEN[k % BROKEN.length]!));
  const out: SampleContacts = { header: SAMPLE_HEADER, rows: [], existing: [], expected: [], creates: 0 };
  const clean: number[] = [];
  for (let i = 0; i < rows; i++) {
    const p = person(i, r);
    const company = i % 5 === 0 ? `ООО «Уют-${i % 40}»` : null;
    const inn = company ? completeInn(`77${String(1000000 + (i % 40)).slice(-7)}`) : null;
    const line: (string | number | null)[] = [
      p.name,
      spelled(samplePhone(i), i),
      p.email,
      company,
      inn,
      pick(POSITIONS, r),
    ];
    const kind = role.get(i);
    const row = i + 2;
    if (kind === "fileDup") {
      const earlier = pick(clean, r);
      line[1] = spelled(samplePhone(earlier), i + 1);
      out.expected.push({ row, outcome: "skipped", duplicateOfRow: earlier + 2 });
    } else if (kind === "existingDup") {
      const phone = samplePhone(1_000_000 + i);
      line[1] = spelled(phone, i);
      out.existing.push({ lastName: p.last, firstName: p.first, phone });
      out.expected.push({ row, outcome: "skipped", existingPhone: phone });
    } else if (kind) {
      const bad = {
        phone: [1, "12-34"],
        email: [2, `${p.email.replace("@", "@@")}`],
        firstName: [0, " "],
        inn: [4, "7707083894"],
      } as const;
      line[bad[kind][0]] = bad[kind][1];
      out.expected.push({ row, outcome: "error", field: kind });
    } else {
      clean.push(i);
      out.creates += 1;
    }
    out.rows.push(line);
  }
  return out;
}

/** The sample as an .xlsx file, as Excel would save it. */
export async function sampleXlsx(sample: {
  header: string[];
  rows: (string | number | null)[][];
}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Клиенты");
  sheet.addRow(sample.header);
  for (const row of sample.rows) {
    sheet.addRow(row);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
