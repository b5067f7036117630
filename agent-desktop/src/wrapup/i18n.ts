import { i18n } from "../i18n/i18n.ts";

/** The wrap-up form's strings in their own namespace ("wrapup"). */
const ru = {
  title: "Итог звонка",
  acw: "Обработка после звонка",
  result: "Результат",
  resultPlaceholder: "Записан на замер, не интересно…",
  source: "Источник клиента",
  sourceConfirmed: "Источник верный",
  sourceFromCall: "По звонку: {{source}}",
  sourceNone: "Звонок не принёс источника",
  note: "Заметка",
  notePlaceholder: "Что обсудили, о чём договорились…",
  next: "Следующий шаг",
  nextKind: { none: "Нет", task: "Задача", callback: "Перезвонить", deal: "Сделка" },
  nextTitle: "Что сделать",
  date: "Дата",
  time: "Время",
  pipeline: "Воронка",
  stage: "Стадия",
  amount: "Сумма, ₽",
  save: "Сохранить итог",
  saved: "Итог сохранён: {{result}}",
};

type Strings = typeof ru;

const en: Strings = {
  title: "Call outcome",
  acw: "After-call work",
  result: "Result",
  resultPlaceholder: "Booked a visit, not interested…",
  source: "Client's source",
  sourceConfirmed: "The source is right",
  sourceFromCall: "From the call: {{source}}",
  sourceNone: "The call brought no source",
  note: "Note",
  notePlaceholder: "What you discussed and agreed…",
  next: "Next step",
  nextKind: { none: "None", task: "Task", callback: "Call back", deal: "Deal" },
  nextTitle: "What to do",
  date: "Date",
  time: "Time",
  pipeline: "Pipeline",
  stage: "Stage",
  amount: "Amount, ₽",
  save: "Save the outcome",
  saved: "Outcome saved: {{result}}",
};

export const WRAPUP_NS = "wrapup";
i18n.addResourceBundle("ru", WRAPUP_NS, ru, true, false);
i18n.addResourceBundle("en", WRAPUP_NS, en, true, false);
