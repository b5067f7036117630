import type { Company, Deal, Lead } from "@okno/contracts";
import type { Knex } from "knex";
import { day, instant, phoneForPeople } from "./exportColumns.ts";
import { nameBook } from "./nameBook.ts";
import type { ExportTable } from "./writeTable.ts";

const rubles = (kopecks: number | null) => (kopecks === null ? null : kopecks / 100);
const phone = (e164: string | null) => (e164 ? phoneForPeople(e164) : null);

export function companyTable(db: Knex): ExportTable<Company> {
  const owners = nameBook(db, "users", "full_name");
  return {
    preparePage: (items) => owners.load(items.map((c) => c.ownerId)),
    columns: [
      { header: "Наименование", width: 40, value: (c) => c.name },
      { header: "ИНН", value: (c) => c.inn },
      { header: "КПП", value: (c) => c.kpp },
      { header: "ОГРН", value: (c) => c.ogrn },
      { header: "Телефон", width: 24, value: (c) => phone(c.phone) },
      { header: "E-mail", width: 28, value: (c) => c.email },
      { header: "Сайт", width: 28, value: (c) => c.website },
      { header: "Адрес", width: 40, value: (c) => c.address },
      { header: "Ответственный", width: 24, value: (c) => owners.name(c.ownerId) },
      { header: "Создана", value: (c) => instant(c.createdAt) },
    ],
  };
}

const LEAD_STATUSES: Record<Lead["status"], string> = {
  new: "Новый",
  in_progress: "В работе",
  converted: "Сконвертирован",
  junk: "Некачественный",
};

export function leadTable(db: Knex): ExportTable<Lead> {
  const owners = nameBook(db, "users", "full_name");
  const sources = nameBook(db, "sources");
  const contacts = nameBook(db, "contacts", "full_name");
  const companies = nameBook(db, "companies");
  return {
    preparePage: async (items) => {
      await owners.load(items.map((l) => l.ownerId));
      await sources.load(items.map((l) => l.sourceId));
      // The names the lead was taken with win; a linked record's name fills in when they are empty.
      await contacts.load(items.map((l) => (l.contactName ? null : l.contactId)));
      await companies.load(items.map((l) => (l.companyName ? null : l.companyId)));
    },
    columns: [
      { header: "Название", width: 40, value: (l) => l.title },
      { header: "Статус", value: (l) => LEAD_STATUSES[l.status] },
      { header: "Контакт", width: 30, value: (l) => l.contactName ?? contacts.name(l.contactId) },
      { header: "Компания", width: 30, value: (l) => l.companyName ?? companies.name(l.companyId) },
      { header: "ИНН", value: (l) => l.companyInn },
      { header: "Телефон", width: 24, value: (l) => phone(l.phone) },
      { header: "E-mail", width: 28, value: (l) => l.email },
      { header: "Сумма (руб.)", format: "money", value: (l) => rubles(l.amount) },
      { header: "Источник", value: (l) => sources.name(l.sourceId) },
      { header: "utm_source", value: (l) => l.utmSource },
      { header: "utm_medium", value: (l) => l.utmMedium },
      { header: "utm_campaign", value: (l) => l.utmCampaign },
      { header: "utm_content", value: (l) => l.utmContent },
      { header: "utm_term", value: (l) => l.utmTerm },
      { header: "Ответственный", width: 24, value: (l) => owners.name(l.ownerId) },
      { header: "Создан", value: (l) => instant(l.createdAt) },
    ],
  };
}

export function dealTable(db: Knex): ExportTable<Deal> {
  const owners = nameBook(db, "users", "full_name");
  const pipelines = nameBook(db, "pipelines");
  const stages = nameBook(db, "stages");
  const companies = nameBook(db, "companies");
  const contacts = nameBook(db, "contacts", "full_name");
  return {
    preparePage: async (items) => {
      await owners.load(items.map((d) => d.ownerId));
      await pipelines.load(items.map((d) => d.pipelineId));
      await stages.load(items.map((d) => d.stageId));
      await companies.load(items.map((d) => d.companyId));
      await contacts.load(items.map((d) => d.contactId));
    },
    columns: [
      { header: "Название", width: 40, value: (d) => d.title },
      { header: "Воронка", width: 24, value: (d) => pipelines.name(d.pipelineId) },
      { header: "Стадия", width: 24, value: (d) => stages.name(d.stageId) },
      { header: "Сумма (руб.)", format: "money", value: (d) => rubles(d.amount) },
      { header: "Компания", width: 30, value: (d) => companies.name(d.companyId) },
      { header: "Контакт", width: 30, value: (d) => contacts.name(d.contactId) },
      { header: "Ответственный", width: 24, value: (d) => owners.name(d.ownerId) },
      { header: "Ожидаемое закрытие", value: (d) => day(d.expectedCloseDate) },
      { header: "Создана", value: (d) => instant(d.createdAt) },
      { header: "Закрыта", value: (d) => instant(d.closedAt) },
    ],
  };
}
