import { i18n } from "../i18n/i18n.ts";

/** The call script panel's strings in their own namespace ("scripts"), registered when the panel loads. */
const ru = {
  title: "Скрипт",
  resolving: "Подбираем скрипт…",
  none: "На этот звонок скрипт не назначен",
  resolveFailed: "Скрипт не загрузился: {{reason}}",
  version: "версия {{version}}",
  assigned: "по назначению",
  switch: "Сменить скрипт",
  switchPlaceholder: "Выберите скрипт",
  kb: "База знаний",
  next: "Далее",
  skip: "Пропустить",
  save: "Сохранить",
  back: "Назад",
  restart: "Сначала",
  yes: "Да",
  no: "Нет",
  ended: "Скрипт пройден",
  article: "Статья",
  notSavedNoCall: "Звонок не записан в CRM: ответы не сохранятся",
  missingValue: "нет данных: {{path}}",
  outcome: {
    success: "Успех",
    callback: "Перезвонить",
    refused: "Отказ",
    not_target: "Не целевой",
    other: "Другое",
  },
  saveStatus: {
    saving: "Сохраняем ответы…",
    saved: "Ответы сохранены в звонке",
    savedCaptures: "Ответы сохранены, в карточку записано полей: {{count}}",
    failed: "Ответы не сохранены: {{reason}}",
    retry: "Повторить",
  },
  error: {
    value_required: "Без ответа дальше нельзя: заполните поле",
    invalid_input: "Ответ не подошёл: {{message}}",
    not_waiting: "Скрипт уже пройден",
    wrong_node: "Скрипт уже на другом шаге",
    unknown_answer: "Такого ответа нет",
    broken_script: "Скрипт сломан: {{message}}",
  },
};

type Strings = typeof ru;

const en: Strings = {
  title: "Script",
  resolving: "Finding the script…",
  none: "No script is assigned to this call",
  resolveFailed: "The script did not load: {{reason}}",
  version: "version {{version}}",
  assigned: "assigned",
  switch: "Switch script",
  switchPlaceholder: "Pick a script",
  kb: "Knowledge base",
  next: "Next",
  skip: "Skip",
  save: "Save",
  back: "Back",
  restart: "Restart",
  yes: "Yes",
  no: "No",
  ended: "Script finished",
  article: "Article",
  notSavedNoCall: "The call is not in the CRM: answers will not be saved",
  missingValue: "no data: {{path}}",
  outcome: {
    success: "Success",
    callback: "Call back",
    refused: "Refused",
    not_target: "Not a target",
    other: "Other",
  },
  saveStatus: {
    saving: "Saving the answers…",
    saved: "Answers saved to the call",
    savedCaptures: "Answers saved, fields written to the card: {{count}}",
    failed: "Answers not saved: {{reason}}",
    retry: "Retry",
  },
  error: {
    value_required: "A value is needed to go on",
    invalid_input: "The answer did not fit: {{message}}",
    not_waiting: "The script is finished",
    wrong_node: "The script is at another step",
    unknown_answer: "No such answer",
    broken_script: "The script is broken: {{message}}",
  },
};

export const SCRIPTS_NS = "scripts";
i18n.addResourceBundle("ru", SCRIPTS_NS, ru, true, false);
i18n.addResourceBundle("en", SCRIPTS_NS, en, true, false);
