import type { Summary } from "./stats.ts";

/** One measured operation: the application over HTTP and, when it has one, its bare-SQL floor. */
export interface Measured {
  name: string;
  http: Summary;
  floor?: Summary;
  /** What the floor is; "same SQL, bare" unless said otherwise. */
  floorName?: string;
}

export interface Target {
  name: string;
  value: number;
  limit: number;
  unit: "ms" | "×" | "/s";
  /** The value must reach the limit (throughput) rather than stay under it (latency). */
  atLeast?: boolean;
}

const passes = (t: Target) => (t.atLeast ? t.value >= t.limit : t.value <= t.limit);

function withUnit(value: number, unit: Target["unit"]): string {
  switch (unit) {
    case "ms":
      return `${ms(value)} ms`;
    case "×":
      return `${value.toFixed(1)}×`;
    case "/s":
      return `${rate(value)}/s`;
  }
}

const COLS = ["p50", "p95", "p99", "max"] as const;

function ms(v: number): string {
  return Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : "–";
}

function ratio(a: number, b: number): string {
  return b > 0 ? `${(a / b).toFixed(1)}×` : "–";
}

function rate(v: number): string {
  return Math.round(v).toLocaleString("en-US");
}

/** A fixed-width table: per operation the HTTP figures, the floor's, and their ratio. */
export function formatTable(title: string, rows: Measured[]): string {
  const floorLabel = (r: Measured) => `  floor: ${r.floorName ?? "same SQL, bare"}`;
  const w = Math.max(...rows.map((r) => Math.max(r.name.length, floorLabel(r).length) + 2));
  const cell = (s: string) => s.padStart(9);
  const line = (label: string, cells: string[]) => `${label.padEnd(w)}${cells.map(cell).join("")}`;
  const out = [title, "", line("", [...COLS.map((c) => `${c} ms`), "ops/s"])];
  for (const r of rows) {
    out.push(line(r.name, [...COLS.map((c) => ms(r.http[c])), rate(r.http.perSecond)]));
    if (r.floor) {
      const f = r.floor;
      out.push(line(floorLabel(r), [...COLS.map((c) => ms(f[c])), rate(f.perSecond)]));
      out.push(line("  ratio HTTP / floor", [...COLS.map((c) => ratio(r.http[c], f[c])), ""]));
    }
  }
  return out.join("\n");
}

export function formatTargets(targets: Target[]): string {
  const lines = targets.map(
    (t) =>
      `  ${passes(t) ? "PASS" : "FAIL"}  ${t.name}: ${withUnit(t.value, t.unit)} (target ${t.atLeast ? "≥" : "≤"} ${withUnit(t.limit, t.unit)})`,
  );
  return ["targets", ...lines].join("\n");
}

const round = (s: Summary) => ({
  n: s.n,
  p50: +s.p50.toFixed(3),
  p95: +s.p95.toFixed(3),
  p99: +s.p99.toFixed(3),
  max: +s.max.toFixed(3),
  perSecond: Math.round(s.perSecond),
});

/** The machine-readable result: one JSON object on the last line of stdout. */
export function formatJson(
  bench: string,
  meta: Record<string, unknown>,
  rows: Measured[],
  targets: Target[],
) {
  return JSON.stringify({
    bench,
    ...meta,
    results: rows.map((r) => ({
      name: r.name,
      http: round(r.http),
      ...(r.floor ? { floor: round(r.floor) } : {}),
    })),
    targets: targets.map((t) => ({ ...t, value: +t.value.toFixed(3), pass: passes(t) })),
  });
}

/** Writes the report to stdout: the table, the targets, then the JSON line. */
export function printReport(text: string): void {
  process.stdout.write(`${text}\n`);
}
