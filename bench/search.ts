// npm run bench:search [-- --db pglite --contacts 100000 --iterations 100 --warmup 10 --explain]
// Contact search (GET /api/v1/contacts?q=…&limit=50) by name, phone fragment, e-mail and ИНН, as the
// administrator (scope "all") and as a manager (scope "own"), each query next to the same SQL run bare.
import type { Knex } from "knex";
import type { HttpClient } from "./http.ts";
import { note } from "./progress.ts";
import { formatJson, formatTable, formatTargets, printReport, type Measured, type Target } from "./report.ts";
import {
  captureSql,
  contactsQuery,
  machineLine,
  runBench,
  runSql,
  type BenchContext,
  type Sql,
} from "./session.ts";
import { measurePair, summarize, summarizeSequential } from "./stats.ts";

const KINDS = ["name", "phone", "email", "inn"] as const;
type Kind = (typeof KINDS)[number];
const SCOPES = ["all", "own"] as const;
type ScopeName = (typeof SCOPES)[number];
const TARGET_P95_MS = 30;

interface SearchCase {
  kind: Kind;
  q: string;
}

/** What people type: names and name fragments, phone fragments, e-mails, and ИНН of real companies. */
async function searchCases(knex: Knex): Promise<SearchCase[]> {
  const emails: string[] = [];
  for (const prefix of ["ivanova.", "kuznetsov."]) {
    const row = await knex("contact_emails")
      .where("email", "like", `${prefix}%`)
      .orderBy("email")
      .first<{ email: string } | undefined>("email");
    if (row) {
      emails.push(row.email);
    }
  }
  const inns = (await knex("companies as co")
    .whereExists(knex("contact_companies as cc").whereRaw("cc.company_id = co.id"))
    .orderBy("co.inn")
    .limit(2)
    .pluck("co.inn")) as string[];
  return [
    { kind: "name", q: "Иванов" },
    { kind: "name", q: "иван петр" },
    { kind: "name", q: "Кузнец" },
    { kind: "name", q: "Смирнова Ольга" },
    { kind: "phone", q: "912345" },
    { kind: "phone", q: "8 916 12" },
    // The API searches e-mails only when the text has an "@": a whole address, or its start up to "@".
    ...emails.map((e) => ({ kind: "email" as const, q: e })),
    ...emails.map((e) => ({ kind: "email" as const, q: e.slice(0, e.indexOf("@") + 1) })),
    ...inns.map((inn) => ({ kind: "inn" as const, q: inn })),
  ];
}

interface CaseResult {
  c: SearchCase;
  scope: ScopeName;
  found: number;
  sql: Sql;
  http: number[];
  floor: number[];
}

async function runCase(
  ctx: BenchContext,
  client: HttpClient,
  scope: ScopeName,
  c: SearchCase,
  n: number,
  warm: number,
): Promise<CaseResult> {
  const knex = ctx.db.knex;
  const path = `/api/v1/contacts?q=${encodeURIComponent(c.q)}&limit=50`;
  const get = async () => {
    const res = await client.get(path);
    if (res.status !== 200) {
      throw new Error(`search "${c.q}" answered ${res.status}: ${res.body}`);
    }
    return res.body;
  };
  let body = "";
  const sql = contactsQuery(await captureSql(knex, async () => (body = await get())));
  const found = (JSON.parse(body) as { items: unknown[] }).items.length;
  for (let i = 0; i < warm; i++) {
    await get();
    await runSql(knex, sql);
  }
  // Each request is followed by the same statement bare, so both see the same load on a shared machine.
  const [http, floor] = await measurePair(
    n,
    async () => void (await get()),
    async () => void (await runSql(knex, sql)),
  );
  return { c, scope, found, sql, http: http.samples, floor: floor.samples };
}

/** Several query texts' samples as one. */
function merged(results: CaseResult[], name: string): Measured {
  return {
    name,
    http: summarizeSequential(results.flatMap((r) => r.http)),
    floor: summarizeSequential(results.flatMap((r) => r.floor)),
  };
}

/** One line per query text: what it found and its p95 over HTTP and bare. */
function caseLines(results: CaseResult[]): string {
  const lines = results.map((r) => {
    const h = summarize(r.http, 0).p95.toFixed(1);
    const f = summarize(r.floor, 0).p95.toFixed(1);
    const label = `${r.scope.padEnd(3)} ${r.c.kind.padEnd(5)} ${JSON.stringify(r.c.q)}`;
    return `  ${label.padEnd(44)} ${String(r.found).padStart(3)} found   p95 ${h.padStart(6)} ms   floor ${f.padStart(6)} ms`;
  });
  return ["per query text", ...lines].join("\n");
}

/** EXPLAIN ANALYZE of the statements behind queries that miss the target, for the investigation. */
async function explainSlow(knex: Knex, results: CaseResult[]): Promise<string> {
  const out: string[] = [];
  for (const r of results.filter((x) => summarize(x.http, 0).p95 > TARGET_P95_MS)) {
    const plan = await runSql(knex, {
      sql: `explain (analyze, buffers) ${r.sql.sql}`,
      bindings: r.sql.bindings,
    });
    out.push(
      `-- ${r.scope} ${r.c.kind} ${JSON.stringify(r.c.q)}`,
      ...plan.rows.map((row) => String(row["QUERY PLAN"])),
    );
  }
  return out.join("\n");
}

await runBench("bench:search", async (ctx) => {
  const n = ctx.options.iterations ?? 100;
  const warm = ctx.options.warmup ?? 10;
  const cases = await searchCases(ctx.db.knex);
  const results: CaseResult[] = [];
  for (const scope of SCOPES) {
    const client = scope === "all" ? ctx.admin : ctx.manager;
    note(`search: ${cases.length} query texts × ${n} as scope "${scope}", each then bare`);
    for (const c of cases) {
      results.push(await runCase(ctx, client, scope, c, n, warm));
    }
  }
  const rows: Measured[] = [];
  const targets: Target[] = [];
  for (const scope of SCOPES) {
    for (const kind of KINDS) {
      const some = results.filter((r) => r.scope === scope && r.c.kind === kind);
      if (some.length > 0) {
        const m = merged(some, `${kind}, scope ${scope}`);
        rows.push(m);
        targets.push({
          name: `${kind} p95, scope ${scope}`,
          value: m.http.p95,
          limit: TARGET_P95_MS,
          unit: "ms",
        });
      }
    }
    const overall = merged(
      results.filter((r) => r.scope === scope),
      `all kinds, scope ${scope}`,
    );
    rows.push(overall);
    targets.push({
      name: `overall p95, scope ${scope}`,
      value: overall.http.p95,
      limit: TARGET_P95_MS,
      unit: "ms",
    });
  }
  const title =
    `bench:search: ${ctx.label}; ${cases.length} query texts × ${n} sequential requests per scope ` +
    `after ${warm} warm-up; limit=50; HTTP keep-alive to 127.0.0.1\n${machineLine(ctx.meta)}`;
  const parts = [formatTable(title, rows), "", caseLines(results), "", formatTargets(targets)];
  if (ctx.options.explain) {
    parts.push("", await explainSlow(ctx.db.knex, results));
  }
  parts.push(formatJson("search", ctx.meta, rows, targets));
  printReport(parts.join("\n"));
});
