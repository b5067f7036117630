import type { Knex } from "knex";

// The demo's call script and knowledge base: an inbound sales script with the three usual objections,
// assigned to the main line and the tracking number, and the articles its nodes link to.

interface Article {
  key: string;
  category: string;
  title: string;
  body: string;
  roles?: string[];
}

const CATEGORIES = ["Продажи", "Доставка", "Гарантия и сервис", "Оплата", "Документы"];

const ARTICLES: Article[] = [
  {
    key: "delivery",
    category: "Доставка",
    title: "Доставка и подъём мебели",
    body: `## Сроки\nДоставка по Москве — **бесплатно** при заказе от 50 000 ₽, в пределах МКАД на следующий день после готовности.\n\n## Подъём\n- на лифте — бесплатно;\n- без лифта — 300 ₽ за этаж за каждое место.\n\nВодитель звонит клиенту за час до приезда.`,
  },
  {
    key: "warranty",
    category: "Гарантия и сервис",
    title: "Гарантия на мебель",
    body: `Гарантия на корпус и фасады — **5 лет**, на фурнитуру Blum и Hettich — 10 лет.\n\nПо гарантийному случаю оформите заявку в направлении «Сервис и гарантия»: мастер выезжает в течение 3 рабочих дней. Клиенту, который уже работает с другими фабриками, напомните: наши фасады не выгорают, а гарантия вдвое дольше, чем у большинства.`,
  },
  {
    key: "contract",
    category: "Документы",
    title: "Договор: как оформить заказ",
    body: `1. После замера дизайнер готовит проект и смету.\n2. Менеджер составляет договор в 1С и отправляет клиенту на подпись (ЭДО или бумага).\n3. Предоплата 50 %, остаток — перед доставкой.\n\nВ договоре обязательно: адрес, сроки изготовления, спецификация, реквизиты. Договоры юрлиц согласуйте с руководителем.`,
  },
  {
    key: "installments",
    category: "Оплата",
    title: "Рассрочка и способы оплаты",
    body: `Рассрочка **0 % на 12 месяцев** от банков-партнёров, без первого взноса; решение за 15 минут по паспорту.\n\nОплата картой, по QR-коду (СБП), наличными при доставке или по счёту для юрлиц. Когда клиент говорит «дорого», предложите рассрочку: платёж за кухню за 240 000 ₽ — 20 000 ₽ в месяц.`,
  },
  {
    key: "measure",
    category: "Продажи",
    title: "Бесплатный замер и дизайн-проект",
    body: `Замерщик-дизайнер приезжает бесплатно, в удобное клиенту время, с образцами фасадов и столешниц. Проект в 3D готов за 2 дня. Если клиент не заключает договор, проект остаётся у него.`,
  },
  {
    key: "discounts",
    category: "Продажи",
    title: "Скидки: кто и когда может дать",
    body: `Менеджер даёт скидку до 5 % без согласования, до 10 % — с согласия руководителя отдела. Скидки не суммируются с рассрочкой 0 %.`,
    roles: ["manager", "supervisor"],
  },
];

type ArticleIds = Record<string, string>;

/** The inbound sales script: greet, learn the need, offer the free measurement, handle the objections. */
export function demoSalesScript(a: ArticleIds) {
  const again = { id: "again", label: "Записать на замер?" };
  return {
    start: "greet",
    nodes: [
      {
        id: "greet",
        type: "say",
        text: "Здравствуйте! Мебельная фабрика «Уют», меня зовут {agent.fullName}.",
        next: "name",
      },
      {
        id: "name",
        type: "capture",
        text: "Как я могу к вам обращаться?",
        target: { entity: "contact", field: "firstName" },
        isOptional: true,
        next: "need",
      },
      {
        id: "need",
        type: "question",
        text: "{contact.firstName}, что вы хотели бы заказать?",
        answers: [
          { id: "kitchen", label: "Кухню", next: "offer" },
          { id: "wardrobe", label: "Шкаф-купе", next: "offer" },
          { id: "other", label: "Другое", next: "offer" },
        ],
      },
      {
        id: "offer",
        type: "question",
        text: "Предлагаю бесплатный выезд дизайнера-замерщика: он снимет размеры, привезёт образцы и через 2 дня покажет 3D-проект. Когда вам удобно?",
        articleIds: [a.measure],
        answers: [
          { id: "yes", label: "Согласен", next: "when" },
          { id: "expensive", label: "«Дорого»", next: "objPrice" },
          { id: "think", label: "«Подумаю»", next: "objThink" },
          { id: "others", label: "«Уже работаем с другими»", next: "objOthers" },
          { id: "no", label: "Не интересно", next: "objection" },
        ],
      },
      {
        id: "objPrice",
        type: "say",
        text: "Понимаю. Замер и проект бесплатны, а оплатить заказ можно в рассрочку 0 % на 12 месяцев без первого взноса.",
        articleIds: [a.installments],
        next: again.id,
      },
      {
        id: "objThink",
        type: "say",
        text: "Конечно, решение серьёзное. Замер ни к чему не обязывает: проект останется у вас, и вы сравните его с другими предложениями.",
        articleIds: [a.measure],
        next: again.id,
      },
      {
        id: "objOthers",
        type: "say",
        text: "Хорошо, что у вас есть с чем сравнить. У нас гарантия 5 лет на корпус и 10 лет на фурнитуру — сравните с условиями вашего поставщика.",
        articleIds: [a.warranty],
        next: again.id,
      },
      {
        id: again.id,
        type: "question",
        text: "{contact.firstName}, записать вас на бесплатный замер?",
        answers: [
          { id: "yes", label: "Да", next: "when" },
          { id: "later", label: "Перезвоните позже", next: "callback" },
          { id: "no", label: "Нет", next: "objection" },
        ],
      },
      {
        id: "when",
        type: "capture",
        text: "Когда дизайнеру удобно приехать?",
        target: { entity: "contact", field: "fields.measure_time" },
        next: "won",
      },
      {
        id: "objection",
        type: "capture",
        text: "Что остановило клиента?",
        target: { entity: "contact", field: "fields.objection" },
        options: ["дорого", "подумаю", "уже работаем с другими"],
        isOptional: true,
        next: "lost",
      },
      {
        id: "callback",
        type: "say",
        text: "Договоритесь о времени звонка и поставьте задачу «Перезвонить».",
        next: "later",
      },
      { id: "won", type: "end", outcome: "success", text: "Спасибо! Дизайнер позвонит вам накануне выезда." },
      { id: "later", type: "end", outcome: "callback", text: "Спасибо, созвонимся в удобное вам время!" },
      {
        id: "lost",
        type: "end",
        outcome: "refused",
        text: "Спасибо за звонок! Будем рады помочь, если решите обновить мебель.",
      },
    ],
  };
}

/** Categories, articles, the contact fields the script writes, the script (version 1) and its lines. */
export async function seedDemoScripts(db: Knex, adminId: string): Promise<void> {
  const categories = await db("kb_categories")
    .insert(CATEGORIES.map((name, sort) => ({ name, sort })))
    .returning<{ id: string; name: string }[]>(["id", "name"]);
  const articleIds: ArticleIds = {};
  for (const a of ARTICLES) {
    const [row] = await db("kb_articles")
      .insert({
        title: a.title,
        body_md: a.body,
        category_id: categories.find((c) => c.name === a.category)!.id,
        roles: a.roles ?? [],
        created_by: adminId,
        updated_by: adminId,
      })
      .returning<{ id: string }[]>("id");
    articleIds[a.key] = row!.id;
  }
  await db("field_definitions").insert([
    {
      entity: "contacts",
      key: "objection",
      label: "Возражение",
      type: "string",
      section: "Звонок",
      sort: 900,
    },
    {
      entity: "contacts",
      key: "measure_time",
      label: "Удобное время замера",
      type: "string",
      section: "Звонок",
      sort: 910,
    },
  ]);
  const graph = demoSalesScript(articleIds);
  const [script] = await db("call_scripts")
    .insert({
      name: "Входящий звонок: продажа замера",
      description: "Приветствие, потребность, замер, возражения",
      draft: JSON.stringify(graph),
      created_by: adminId,
    })
    .returning<{ id: string }[]>("id");
  await db("call_script_versions").insert({
    script_id: script!.id,
    version: 1,
    graph: JSON.stringify(graph),
    published_by: adminId,
  });
  await db("script_assignments").insert([
    { script_id: script!.id, kind: "line", value: "+74951234567" },
    { script_id: script!.id, kind: "line", value: "+74957654321" },
  ]);
}
