import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findHostileValue } from "./hostileInput.ts";
import {
  buildCompany,
  buildContact,
  buildDeal,
  buildLead,
  buildPipeline,
  buildTask,
} from "./test/factories.ts";
import { startTestApp, type TestApp } from "./test/testApp.ts";

// Property-based abuse of every write route the OpenAPI document lists: whatever arrives, the API answers
// below 500, and a refused request writes nothing. 10,000 bodies in all (HOSTILE_RUNS to change).
const TOTAL_RUNS = Number(process.env.HOSTILE_RUNS ?? 10_000);

const TABLES = [
  "contacts",
  "contact_phones",
  "contact_emails",
  "contact_companies",
  "companies",
  "leads",
  "deals",
  "tasks",
  "interactions",
  "users",
  "departments",
  "roles",
  "pipelines",
  "stages",
  "audit_log",
];

const nasty = fc.constantFrom(
  "'; drop table contacts; --",
  "1' or '1'='1",
  "<script>alert(document.cookie)</script>",
  "<img src=x onerror=alert(1)>",
  "\u0000",
  "abc\u0000def",
  "\ud800",
  '=HYPERLINK("http://evil")',
  "../../../etc/passwd",
  "${7*7}{{7*7}}",
  "８ (９１２) ３４５-６７-８９",
  "𝕴𝖛𝖆𝖓".repeat(50),
  "a".repeat(70_000),
);
const text = fc.oneof(nasty, fc.string({ maxLength: 40 }), fc.string({ unit: "grapheme", maxLength: 40 }));
const num = fc.oneof(
  fc.constantFrom(1e308, -1e308, 2 ** 63, Number.MAX_SAFE_INTEGER + 2, -1, 0.5, 1e-300),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    text,
    num,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(text, tie("value"), { maxKeys: 3 }),
  ),
}));
// Deep nesting is built as JSON text: fast-check would overflow its own stack printing such an object.
const deep = fc.integer({ min: 30, max: 5000 }).map((n) => `${'{"a":'.repeat(n)}"x"${"}".repeat(n)}`);

interface WriteRoute {
  method: "POST" | "PUT" | "PATCH";
  path: string;
  fields: string[];
}

describe("hostile input on every write route", () => {
  let t: TestApp;
  let routes: WriteRoute[];
  let ids: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp();
    await buildPipeline(t);
    const contact = await buildContact(t, "manager1");
    const company = await buildCompany(t, "manager1");
    ids = {
      contacts: contact.id,
      companies: company.id,
      leads: (await buildLead(t, "manager1")).id,
      deals: (await buildDeal(t, "manager1")).id,
      tasks: (await buildTask(t, "manager1")).id,
      users: t.org.users.manager2.id,
      departments: t.org.departments.sales2,
    };
    const doc = (await t.app.inject({ url: "/docs/json" })).json<{
      paths: Record<
        string,
        Record<string, { requestBody?: { content?: Record<string, { schema?: { properties?: object } }> } }>
      >;
    }>();
    routes = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (["post", "put", "patch"].includes(method) && path.startsWith("/api/v1/")) {
          const schema = op.requestBody?.content?.["application/json"]?.schema;
          routes.push({
            method: method.toUpperCase() as WriteRoute["method"],
            path,
            fields: Object.keys(schema?.properties ?? {}),
          });
        }
      }
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const counts = async () => {
    const sql = TABLES.map((table) => `(select count(*) from ${table})::int as ${table}`).join(", ");
    const res = await t.db.knex.raw<{ rows: Record<string, number>[] }>(`select ${sql}`);
    return res.rows[0]!;
  };

  const urlFor = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const collection = path.split("/")[3] ?? "";
      if (name === "code") {
        return "agent";
      }
      return ids[collection] ?? "00000000-0000-4000-8000-000000000000";
    });

  it("finds every write route in the API document", () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(
      expect.arrayContaining(["POST /api/v1/contacts", "PATCH /api/v1/contacts/{id}", "POST /api/v1/deals"]),
    );
  });

  it("never answers 500 and never half-writes", async () => {
    const runsPerRoute = Math.max(20, Math.ceil(TOTAL_RUNS / routes.length));
    for (const route of routes) {
      const body = fc.oneof(
        {
          weight: 6,
          arbitrary: fc
            .record(Object.fromEntries(route.fields.map((f) => [f, value])), { requiredKeys: [] })
            .map((v) => JSON.stringify(v)),
        },
        { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? "null") },
        { weight: 1, arbitrary: deep },
      );
      await fc.assert(
        fc.asyncProperty(body, async (payload) => {
          const before = await counts();
          const res = await t.app.inject({
            method: route.method,
            url: urlFor(route.path),
            headers: { ...t.as("admin"), "content-type": "application/json" },
            payload,
          });
          expect(res.statusCode, `${route.method} ${route.path} → ${res.body.slice(0, 300)}`).toBeLessThan(
            500,
          );
          expect(res.headers["x-content-type-options"]).toBe("nosniff");
          if (res.statusCode >= 400) {
            expect(await counts()).toEqual(before);
          }
        }),
        { numRuns: runsPerRoute },
      );
    }
  }, 900_000);

  it.each([
    [
      "invalid UTF-8",
      Buffer.from([
        0x7b, 0x22, 0x66, 0x69, 0x72, 0x73, 0x74, 0x4e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22,
        0x7d,
      ]),
    ],
    ["truncated JSON", Buffer.from('{"firstName": "Ив')],
    ["not JSON at all", Buffer.from("firstName=Иван")],
    ["a body over the size limit", Buffer.from(JSON.stringify({ firstName: "x".repeat(2 * 1024 * 1024) }))],
  ])("answers 4xx to %s", async (_what, payload) => {
    const before = await counts();
    const res = await t.app.inject({
      method: "POST",
      url: "/api/v1/contacts",
      headers: { ...t.as("admin"), "content-type": "application/json" },
      payload,
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(await counts()).toEqual(before);
  });
});

describe("findHostileValue", () => {
  it("names the path of a NUL character and of excessive depth", () => {
    expect(findHostileValue({ a: { b: "x\u0000" } })).toBe("body.a.b: contains a NUL character");
    let v: unknown = 1;
    for (let i = 0; i < 40; i++) {
      v = { n: v };
    }
    expect(findHostileValue(v)).toMatch(/nested deeper than 32 levels/);
    expect(findHostileValue({ name: "Иван <b>", list: [1, 2, { x: null }] })).toBeNull();
  });
});
