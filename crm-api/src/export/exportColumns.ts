import { formatPhone, type Contact, type Task } from "@okno/contracts";
import type { ExportColumn } from "./writeTable.ts";

/**
 * A phone as Russians write it: «8 (912) 345-67-89» for +7 numbers (which also keeps Excel from taking
 * a leading "+" for a formula), international for the rest. The import reads both back.
 */
export function phoneForPeople(e164: string): string {
  const international = formatPhone(e164);
  return e164.startsWith("+7")
    ? international.replace(/^\+7 (\d{3}) (\d{3}) (\d{2}) (\d{2})$/, "8 ($1) $2-$3-$4")
    : international;
}

/** «1990-05-01» → «01.05.1990». */
export const day = (iso: string | null) => (iso ? iso.split("-").reverse().join(".") : null);
export const instant = (iso: string | null) => (iso ? new Date(iso) : null);

/** Headers the import recognises (columns.ts), so an exported file can be edited and imported back. */
export function contactColumns(ownerName: (id: string) => string): ExportColumn<Contact>[] {
  return [
    { header: "Фамилия", value: (c) => c.lastName },
    { header: "Имя", value: (c) => c.firstName },
    { header: "Отчество", value: (c) => c.middleName },
    {
      header: "Телефон",
      width: 24,
      value: (c) => c.phones.map((p) => phoneForPeople(p.phone)).join(", ") || null,
    },
    { header: "E-mail", width: 28, value: (c) => c.emails.map((e) => e.email).join(", ") || null },
    { header: "Компания", width: 30, value: (c) => c.companies[0]?.name ?? null },
    { header: "Должность", value: (c) => c.position },
    { header: "Дата рождения", value: (c) => day(c.birthday) },
    { header: "Примечание", width: 40, value: (c) => c.note },
    { header: "Ответственный", width: 24, value: (c) => ownerName(c.ownerId) },
    { header: "Создан", value: (c) => instant(c.createdAt) },
  ];
}

const TASK_TYPES: Record<Task["type"], string> = {
  task: "Задача",
  call: "Звонок",
  callback: "Перезвонить",
  meeting: "Встреча",
};
const TASK_STATUSES: Record<Task["status"], string> = {
  open: "Открыта",
  done: "Выполнена",
  cancelled: "Отменена",
};

export const taskColumns: ExportColumn<Task>[] = [
  { header: "Тип", value: (t) => TASK_TYPES[t.type] },
  { header: "Задача", width: 40, value: (t) => t.title },
  { header: "Описание", width: 40, value: (t) => t.description },
  { header: "Статус", value: (t) => TASK_STATUSES[t.status] },
  { header: "Срок", value: (t) => instant(t.dueAt) },
  { header: "Напоминание", value: (t) => instant(t.remindAt) },
  { header: "Выполнена", value: (t) => instant(t.completedAt) },
  { header: "Просрочена", value: (t) => (t.isOverdue ? "да" : "нет") },
  { header: "Телефон", width: 24, value: (t) => (t.phone ? phoneForPeople(t.phone) : null) },
  { header: "Ответственный", width: 24, value: (t) => t.ownerName },
  { header: "Создана", value: (t) => instant(t.createdAt) },
];
