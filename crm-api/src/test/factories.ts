import type { Contact, ContactCreateInput } from "@okno/contracts";
import type { Interaction, InteractionCreateInput, Task, TaskCreateInput } from "@okno/contracts";
import type { Company, CompanyCreateInput, Deal, DealCreateInput, Lead } from "@okno/contracts";
import { completeInn, type LeadCreateInput, type Pipeline, type StageKind } from "@okno/contracts";
import type { TestApp, TestLogin } from "./testApp.ts";

let counter = 0;

/** A unique valid Russian mobile number per call, so tests never collide on the unique phone index. */
export function uniquePhone(): string {
  counter += 1;
  const n = (Date.now() % 1_000_000) * 100 + (counter % 100);
  return `+7916${String(n).padStart(7, "0").slice(-7)}`;
}

/** Creates a contact through the API as `login`; fields default to a plausible person. */
export async function buildContact(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<ContactCreateInput> = {},
): Promise<Contact> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/contacts",
    headers: t.as(login),
    payload: { lastName: "Иванов", firstName: "Иван", phones: [{ phone: uniquePhone() }], ...overrides },
  });
  if (res.statusCode !== 201) {
    throw new Error(`buildContact failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<Contact>();
}

/** Creates a task through the API as `login`; by default a plain task due tomorrow. */
export async function buildTask(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<TaskCreateInput> = {},
): Promise<Task> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/tasks",
    headers: t.as(login),
    payload: {
      title: "Подготовить коммерческое предложение",
      dueAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
      ...overrides,
    },
  });
  if (res.statusCode !== 201) {
    throw new Error(`buildTask failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<Task>();
}

/** Logs a manual interaction through the API as `login`; by default a note. */
export async function buildInteraction(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<InteractionCreateInput> = {},
): Promise<Interaction> {
  const res = await t.app.inject({
    method: "POST",
    url: "/api/v1/interactions",
    headers: t.as(login),
    payload: { channel: "note", body: "Клиент просит перезвонить после обеда", ...overrides },
  });
  if (res.statusCode !== 201) {
    throw new Error(`buildInteraction failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<Interaction>();
}

/** A unique valid 10-digit (organisation) ИНН per call. */
export function uniqueInn(): string {
  counter += 1;
  const n = (Date.now() % 10_000_000) * 100 + (counter % 100);
  return completeInn(`77${String(n).padStart(7, "0").slice(-7)}`);
}

/**
 * Inserts a pipeline with stages straight into the database (creating one is an admin setting, and the
 * test company starts with none). Stages default to open → open → won → lost.
 */
export async function buildPipeline(
  t: TestApp,
  overrides: { name?: string; isDefault?: boolean; stages?: { name: string; kind: StageKind }[] } = {},
): Promise<Pipeline> {
  counter += 1;
  const stages = overrides.stages ?? [
    { name: "Новая", kind: "open" },
    { name: "Переговоры", kind: "open" },
    { name: "Успешно", kind: "won" },
    { name: "Провалена", kind: "lost" },
  ];
  const [pipeline] = await t.db
    .knex("pipelines")
    .insert({ name: overrides.name ?? `Продажи ${counter}`, is_default: overrides.isDefault ?? false })
    .returning<{ id: string; name: string; sort: number; is_default: boolean }[]>("*");
  const rows = await t.db
    .knex("stages")
    .insert(
      stages.map((s, i) => ({ pipeline_id: pipeline!.id, name: s.name, kind: s.kind, sort: (i + 1) * 10 })),
    )
    .returning<{ id: string; name: string; sort: number; kind: StageKind }[]>(["id", "name", "sort", "kind"]);
  return {
    id: pipeline!.id,
    name: pipeline!.name,
    sort: pipeline!.sort,
    isDefault: pipeline!.is_default,
    stages: rows.sort((a, b) => a.sort - b.sort).map((r) => ({ ...r, color: null, deadlineHours: null })),
  };
}

async function createThrough<T>(t: TestApp, login: TestLogin, url: string, payload: object): Promise<T> {
  const res = await t.app.inject({ method: "POST", url, headers: t.as(login), payload });
  if (res.statusCode !== 201) {
    throw new Error(`POST ${url} failed: ${res.statusCode} ${res.body}`);
  }
  return res.json<T>();
}

/** Creates a company through the API as `login`, with a unique valid ИНН. */
export function buildCompany(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<CompanyCreateInput> = {},
): Promise<Company> {
  return createThrough(t, login, "/api/v1/companies", {
    name: "ООО «Ромашка»",
    inn: uniqueInn(),
    ...overrides,
  });
}

/** Creates a lead through the API as `login`: a caller interested in a kitchen. */
export function buildLead(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<LeadCreateInput> = {},
): Promise<Lead> {
  return createThrough(t, login, "/api/v1/leads", {
    title: "Кухня на заказ",
    contactName: "Петров Пётр Петрович",
    phone: uniquePhone(),
    amount: 15_000_000,
    ...overrides,
  });
}

/** Creates a deal through the API as `login`; needs a pipeline (see buildPipeline). */
export function buildDeal(
  t: TestApp,
  login: TestLogin,
  overrides: Partial<DealCreateInput> = {},
): Promise<Deal> {
  return createThrough(t, login, "/api/v1/deals", {
    title: "Поставка кухонного гарнитура",
    amount: 25_000_000,
    ...overrides,
  });
}
