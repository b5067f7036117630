// npm run bench:lookup [-- --db pglite --contacts 100000 --iterations 20000 --warmup 2000 --concurrency 8]
// Caller identification (GET /api/v1/contacts/lookup) and contact creation (POST /api/v1/contacts) on the
// real application over HTTP, each next to its floor: the same SQL run bare through the same driver.
import type { Knex } from "knex";
import { FEMALE_NAMES, MALE_NAMES, PATRONYMICS, SURNAMES } from "./names.ts";
import { freshPhones, sampleExistingPhones, writtenAsPerson } from "./phones.ts";
import { note } from "./progress.ts";
import { formatJson, formatTable, formatTargets, printReport, type Measured } from "./report.ts";
import {
  captureSql,
  contactsQuery,
  machineLine,
  runBench,
  runSql,
  type BenchContext,
  type Sql,
} from "./session.ts";
import { measure, measurePair, seededRandom, warmUp } from "./stats.ts";

interface Probe {
  /** How the number is typed in the request. */
  text: string;
  e164: string;
  known: boolean;
}

/** Existing numbers in mixed spellings, plus about 10% numbers nobody has. */
async function probes(knex: Knex, count: number, seed: number): Promise<Probe[]> {
  const random = seededRandom(seed);
  const known = await sampleExistingPhones(knex, count, random);
  const unknown = await freshPhones(knex, Math.ceil(count / 10), random);
  return known.map((phone, i) => {
    const isKnown = i % 10 !== 0;
    const e164 = isKnown ? phone : unknown[i / 10]!;
    return { text: writtenAsPerson(e164, Math.floor(random() * 3)), e164, known: isKnown };
  });
}

async function lookupBench(ctx: BenchContext, count: number, warm: number): Promise<Measured[]> {
  const { admin, db } = ctx;
  const knex = db.knex;
  const lookup = async (p: Probe) => {
    const res = await admin.get(`/api/v1/contacts/lookup?phone=${encodeURIComponent(p.text)}`);
    if (res.status !== 200) {
      throw new Error(`lookup of "${p.text}" answered ${res.status}: ${res.body}`);
    }
    return res.body;
  };
  const sample = await probes(knex, count, 1);
  const bodies = new Array<string>(count);
  const httpOp = async (i: number) => {
    bodies[i] = await lookup(sample[i]!);
  };
  // The floor: the statement the route ran for one number, re-run with each number in its place. It
  // takes the numbers from the other half of the sample, so it never finds pages the request just read.
  const first = sample.find((p) => p.known)!;
  const template = contactsQuery(await captureSql(knex, () => lookup(first)));
  const floorOp = async (i: number) => {
    await runSql(knex, withPhone(template, first.e164, sample[(i + Math.floor(count / 2)) % count]!.e164));
  };

  const warmSample = await probes(knex, warm, 2);
  await warmUp(warm, 1, async (i) => void (await lookup(warmSample[i]!)));
  await warmUp(warm, 1, async (i) => {
    await runSql(knex, withPhone(template, first.e164, warmSample[i]!.e164));
  });
  note(`lookup: ${count} requests one at a time, each followed by its bare query`);
  const [http, floor] = await measurePair(count, httpOp, floorOp);
  assertFound(sample, bodies);
  const c = ctx.options.concurrency;
  note(`lookup: ${count} requests with ${c} in flight, then the bare queries alike`);
  const httpC = await measure(count, c, httpOp);
  assertFound(sample, bodies);
  const floorC = await measure(count, c, floorOp);
  return [
    { name: "lookup, 1 in flight", http: http.summary, floor: floor.summary },
    { name: `lookup, ${c} in flight`, http: httpC.summary, floor: floorC.summary },
  ];
}

function withPhone(q: Sql, from: string, to: string): Sql {
  return { ...q, bindings: q.bindings.map((b) => (b === from ? to : b)) };
}

/** Every known number must find its contact and no unknown number may: a fast wrong answer is no answer. */
function assertFound(sample: Probe[], bodies: string[]): void {
  sample.forEach((p, i) => {
    const body = JSON.parse(bodies[i]!) as { phone: string; contact: { phones: { phone: string }[] } | null };
    const found = body.contact?.phones.some((x) => x.phone === p.e164) ?? false;
    if (body.phone !== p.e164 || found !== p.known) {
      throw new Error(`lookup of "${p.text}" answered ${bodies[i]}`);
    }
  });
}

/** Sets of plausible new people with one or two numbers each that nobody has, no number in two sets. */
async function newPeople(knex: Knex, counts: number[]): Promise<Person[][]> {
  const total = counts.reduce((a, b) => a + b, 0);
  const pool = await freshPhones(knex, total * 2, seededRandom(10));
  let next = 0;
  return counts.map((count) =>
    Array.from({ length: count }, (_, i) => {
      const phones = pool.slice(next, next + (i % 2 === 0 ? 2 : 1));
      next += phones.length;
      return person(i, phones);
    }),
  );
}

interface Person {
  lastName: string;
  firstName: string;
  middleName: string;
  phones: string[];
}

function person(i: number, phones: string[]): Person {
  const female = i % 2 === 1;
  const [surname] = SURNAMES[i % SURNAMES.length]!;
  const patronymic = PATRONYMICS[i % PATRONYMICS.length]!;
  const names = female ? FEMALE_NAMES : MALE_NAMES;
  return {
    lastName: female ? `${surname}а` : surname,
    firstName: names[i % names.length]!,
    middleName: female ? patronymic[1] : patronymic[0],
    phones,
  };
}

async function createBench(ctx: BenchContext, count: number, warm: number): Promise<Measured> {
  const { admin, db, org } = ctx;
  // Four disjoint sets of new people: warm-up and measured, over HTTP and bare.
  const [warmHttp, warmBare, people, peopleBare] = await newPeople(db.knex, [warm, warm, count, count]);
  const httpOp = (set: Person[]) => async (i: number) => {
    const p = set[i]!;
    const res = await admin.post("/api/v1/contacts", {
      ...p,
      phones: p.phones.map((phone, k) => ({ phone: writtenAsPerson(phone, i + k) })),
    });
    if (res.status !== 201) {
      throw new Error(`create answered ${res.status}: ${res.body}`);
    }
  };
  const floorOp = (set: Person[]) => (i: number) => insertBare(db.knex, org.adminId, set[i]!);
  await warmUp(warm, 1, httpOp(warmHttp!));
  await warmUp(warm, 1, floorOp(warmBare!));
  note(`create: ${count} requests one at a time, each followed by a bare insert`);
  const [http, floor] = await measurePair(count, httpOp(people!), floorOp(peopleBare!));
  return {
    name: "create, 1 in flight",
    http: http.summary,
    floor: floor.summary,
    floorName: "INSERT contact+phones, 1 trx",
  };
}

/** The create floor: the contact row and its phones in one transaction, nothing else. */
async function insertBare(knex: Knex, ownerId: string, p: Person): Promise<void> {
  await knex.transaction(async (trx) => {
    const { rows } = await trx.raw<{ rows: { id: string }[] }>(
      `insert into contacts (last_name, first_name, middle_name, owner_id, created_by)
       values (?, ?, ?, ?, ?) returning id`,
      [p.lastName, p.firstName, p.middleName, ownerId, ownerId],
    );
    const id = rows[0]!.id;
    const values = p.phones.map(() => "(?, ?, 'mobile', ?)").join(", ");
    await trx.raw(
      `insert into contact_phones (contact_id, phone, kind, position) values ${values}`,
      p.phones.flatMap((phone, k) => [id, phone, k]),
    );
  });
}

await runBench("bench:lookup", async (ctx) => {
  const count = ctx.options.iterations ?? 20_000;
  const warm = ctx.options.warmup ?? 2_000;
  const creates = Math.max(100, Math.round(count / 10));
  const [seq, conc] = await lookupBench(ctx, count, warm);
  const create = await createBench(ctx, creates, Math.round(warm / 10));
  const rows = [seq!, create, conc!];
  const targets = [
    { name: "lookup p99", value: seq!.http.p99, limit: 5, unit: "ms" as const },
    { name: "lookup p99 / floor p99", value: seq!.http.p99 / seq!.floor!.p99, limit: 3, unit: "×" as const },
    { name: "create p99", value: create.http.p99, limit: 20, unit: "ms" as const },
  ];
  const title =
    `bench:lookup: ${ctx.label}; ${count} lookups (≈10% unknown numbers) after ${warm} warm-up, ` +
    `${creates} creates; HTTP keep-alive to 127.0.0.1\n${machineLine(ctx.meta)}`;
  printReport(
    [
      formatTable(title, rows),
      "",
      formatTargets(targets),
      formatJson("lookup", ctx.meta, rows, targets),
    ].join("\n"),
  );
});
