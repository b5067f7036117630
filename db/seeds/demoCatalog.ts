import type { Knex } from "knex";

/** Stages of the main pipeline, from the customer's brief; the last two close the deal. */
export const MAIN_STAGES: {
  name: string;
  kind: "open" | "won" | "lost";
  color: string;
  deadlineHours?: number;
}[] = [
  { name: "Новая заявка", kind: "open", color: "#64b5f6", deadlineHours: 2 },
  { name: "Взят в работу", kind: "open", color: "#4fc3f7", deadlineHours: 24 },
  { name: "КП", kind: "open", color: "#4dd0e1", deadlineHours: 72 },
  { name: "Договор", kind: "open", color: "#4db6ac", deadlineHours: 120 },
  { name: "Счет", kind: "open", color: "#81c784" },
  { name: "Запуск реализации", kind: "open", color: "#aed581" },
  { name: "Принят", kind: "open", color: "#dce775" },
  { name: "К отгрузке", kind: "open", color: "#fff176" },
  { name: "Отгружен/Доставлен", kind: "open", color: "#ffd54f" },
  { name: "Сделка успешна", kind: "won", color: "#43a047" },
  { name: "Сделка провалена", kind: "lost", color: "#e53935" },
];

const SERVICE_STAGES: typeof MAIN_STAGES = [
  { name: "Обращение", kind: "open", color: "#64b5f6", deadlineHours: 4 },
  { name: "Выезд замерщика", kind: "open", color: "#4db6ac", deadlineHours: 48 },
  { name: "Ремонт", kind: "open", color: "#ffd54f" },
  { name: "Выполнено", kind: "won", color: "#43a047" },
  { name: "Отказ", kind: "lost", color: "#e53935" },
];

export interface DemoCatalog {
  pipelines: { id: string; stages: { id: string; kind: string }[] }[];
  sources: string[];
  yandexId: string;
  kitchenCampaignId: string;
}

/** Sources, the «Контекст — кухни» campaign, the main line and the tracking number, two pipelines. */
export async function seedDemoCatalog(db: Knex): Promise<DemoCatalog> {
  const sourceRows = [
    { name: "Яндекс.Директ", utm_source: "yandex" },
    { name: "Сайт", utm_source: "site" },
    { name: "2ГИС", utm_source: "2gis" },
    { name: "Авито", utm_source: "avito" },
    { name: "Рекомендация", utm_source: null },
    { name: "Выставка", utm_source: null },
    { name: "Холодный звонок", utm_source: null },
  ];
  const sources = await db("sources")
    .insert(sourceRows)
    .returning<{ id: string; name: string }[]>(["id", "name"]);
  const yandexId = sources.find((s) => s.name === "Яндекс.Директ")!.id;
  const [campaign] = await db("campaigns")
    .insert([
      { source_id: yandexId, name: "Контекст — кухни", utm_campaign: "kitchens_search" },
      { source_id: yandexId, name: "РСЯ — шкафы-купе", utm_campaign: "wardrobes_rsya" },
    ])
    .returning<{ id: string }[]>("id");
  await db("tracking_numbers").insert([
    { phone: "+74951234567", kind: "static", description: "Основной номер" },
    {
      phone: "+74957654321",
      kind: "static",
      source_id: yandexId,
      campaign_id: campaign!.id,
      description: "Яндекс.Директ: кухни",
    },
  ]);
  const pipelines: DemoCatalog["pipelines"] = [];
  for (const [i, [name, stages]] of (
    [
      ["Продажи мебели", MAIN_STAGES],
      ["Сервис и гарантия", SERVICE_STAGES],
    ] as const
  ).entries()) {
    const [p] = await db("pipelines")
      .insert({ name, sort: i, is_default: i === 0 })
      .returning<{ id: string }[]>("id");
    const rows = stages.map((s, sort) => ({
      pipeline_id: p!.id,
      name: s.name,
      sort,
      kind: s.kind,
      color: s.color,
      deadline_hours: s.deadlineHours ?? null,
    }));
    const inserted = await db("stages")
      .insert(rows)
      .returning<{ id: string; kind: string }[]>(["id", "kind"]);
    pipelines.push({ id: p!.id, stages: inserted });
  }
  return { pipelines, sources: sources.map((s) => s.id), yandexId, kitchenCampaignId: campaign!.id };
}
