import type { Knex } from "knex";
import type { DemoCatalog } from "./demoCatalog.ts";
import type { DemoCustomers } from "./demoCustomers.ts";
import type { Random } from "./random.ts";

const HOUR = 3600_000;
const ago = (r: Random, maxDays: number) => new Date(Date.now() - r.int(1, maxDays * 24) * HOUR);

const DEAL_TITLES = [
  "Кухня угловая",
  "Шкаф-купе",
  "Гардеробная",
  "Мебель для офиса",
  "Детская",
  "Прихожая",
  "Кухонный остров",
];
const RESULTS = [
  "Договорились о замере",
  "Отправлено КП",
  "Перезвонить позже",
  "Не дозвонились",
  "Уточнил размеры",
];

/** Leads, deals across the stages, tasks (some overdue, some callbacks) and a timeline of calls and notes. */
export async function seedDemoWork(
  db: Knex,
  r: Random,
  catalog: DemoCatalog,
  customers: DemoCustomers,
  counts: { leads: number; deals: number; tasks: number; interactions: number },
): Promise<void> {
  const leads = Array.from({ length: counts.leads }, () => {
    const c = r.pick(customers.contacts);
    const created = ago(r, 30);
    const fromYandex = r.chance(0.4);
    return {
      title: `Заявка: ${r.pick(DEAL_TITLES).toLowerCase()}`,
      status: r.pick(["new", "new", "in_progress", "junk"]),
      contact_name: null,
      phone: c.phone,
      contact_id: c.id,
      source_id: fromYandex ? catalog.yandexId : r.pick(catalog.sources),
      campaign_id: fromYandex ? catalog.kitchenCampaignId : null,
      utm_source: fromYandex ? "yandex" : null,
      utm_medium: fromYandex ? "cpc" : null,
      utm_campaign: fromYandex ? "kitchens_search" : null,
      owner_id: c.ownerId,
      created_at: created,
      updated_at: created,
    };
  });
  await db.batchInsert("leads", leads, 500);

  const deals = Array.from({ length: counts.deals }, () => {
    const c = r.pick(customers.contacts);
    const pipeline = r.chance(0.8) ? catalog.pipelines[0]! : catalog.pipelines[1]!;
    const stage = r.pick(pipeline.stages);
    const created = ago(r, 120);
    const closed = stage.kind === "open" ? null : new Date(created.getTime() + r.int(1, 30) * 24 * HOUR);
    return {
      id: crypto.randomUUID(),
      title: `${r.pick(DEAL_TITLES)} — ${r.int(1, 999)}`,
      pipeline_id: pipeline.id,
      stage_id: stage.id,
      amount: r.int(50, 1500) * 1000_00,
      company_id: c.companyId,
      contact_id: c.id,
      source_id: r.pick(catalog.sources),
      owner_id: c.ownerId,
      stage_changed_at: closed ?? new Date(created.getTime() + r.int(0, 72) * HOUR),
      closed_at: closed,
      created_at: created,
      updated_at: created,
    };
  });
  await db.batchInsert("deals", deals, 500);

  const tasks = Array.from({ length: counts.tasks }, (_, i) => {
    const c = r.pick(customers.contacts);
    const type = r.pick(["task", "call", "callback", "meeting"] as const);
    const due = new Date(Date.now() + r.int(-72, 96) * HOUR);
    const done = due.getTime() < Date.now() && r.chance(0.5);
    return {
      type,
      title:
        type === "callback"
          ? "Перезвонить клиенту"
          : type === "meeting"
            ? "Встреча в шоуруме"
            : type === "call"
              ? "Позвонить по КП"
              : "Подготовить КП",
      status: done ? "done" : "open",
      due_at: due,
      remind_at: new Date(due.getTime() - 15 * 60_000),
      completed_at: done ? due : null,
      phone: type === "call" || type === "callback" ? c.phone : null,
      owner_id: c.ownerId,
      contact_id: c.id,
      deal_id: i % 3 === 0 ? r.pick(deals).id : null,
    };
  });
  await db.batchInsert("tasks", tasks, 500);

  const interactions = Array.from({ length: counts.interactions }, () => {
    const c = r.pick(customers.contacts);
    const isCall = r.chance(0.75);
    const at = ago(r, 60);
    const duration = isCall ? r.int(0, 600) : null;
    return {
      channel: isCall ? "call" : "note",
      direction: isCall ? r.pick(["in", "in", "out"]) : null,
      occurred_at: at,
      ended_at: duration === null ? null : new Date(at.getTime() + duration * 1000),
      duration_sec: duration,
      result: isCall ? (duration === 0 ? "missed" : "completed") : null,
      body: isCall
        ? r.pick(RESULTS)
        : r.pick(["Клиент просил прислать каталог", "Обсудили цвет фасадов", "Нужен замер в субботу"]),
      contact_id: c.id,
      company_id: c.companyId,
      owner_id: c.ownerId,
      created_at: at,
      updated_at: at,
    };
  });
  await db.batchInsert("interactions", interactions, 500);
}
