import { i18n } from "../i18n/i18n.ts";

/** The agent state bar's strings in their own namespace ("agent"). */
const ru = {
  state: {
    available: "Доступен",
    paused: "Пауза",
    acw: "После звонка",
    offline: "Не в сети",
  },
  reason: {
    lunch: "Обед",
    break: "Перерыв",
    training: "Обучение",
    other: "Другое",
  },
  pauseFor: "Пауза: {{reason}}",
  change: "Сменить статус",
  pbxNotApplied: "АТС не применила статус: {{error}}",
  pbxUnknownError: "нет ответа",
  changeFailed: "Статус не изменён",
  notePlaceholder: "Причина паузы",
  noteSave: "Поставить на паузу",
};

type Strings = typeof ru;

const en: Strings = {
  state: {
    available: "Available",
    paused: "Paused",
    acw: "After-call work",
    offline: "Offline",
  },
  reason: {
    lunch: "Lunch",
    break: "Break",
    training: "Training",
    other: "Other",
  },
  pauseFor: "Paused: {{reason}}",
  change: "Change state",
  pbxNotApplied: "The PBX did not apply the state: {{error}}",
  pbxUnknownError: "no answer",
  changeFailed: "State not changed",
  notePlaceholder: "Reason for the pause",
  noteSave: "Pause",
};

export const AGENT_NS = "agent";
i18n.addResourceBundle("ru", AGENT_NS, ru, true, false);
i18n.addResourceBundle("en", AGENT_NS, en, true, false);
