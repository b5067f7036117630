import { i18n } from "../i18n/i18n.ts";

/** The knowledge base's strings in their own namespace ("kb"), registered when a KB screen loads. */
const ru = {
  title: "База знаний",
  /** The editor's nav item lives here: this namespace loads with the layout, the editor's does not. */
  navScripts: "Скрипты звонков",
  searchLabel: "Поиск в базе знаний",
  searchPlaceholder: "Например: рассрочка, доставка, гарантия",
  nothingFound: "Ничего не нашлось по запросу «{{q}}»",
  typeToSearch: "Введите вопрос клиента — найдём статьи",
  searchFailed: "Поиск не удался: {{reason}}",
  titleMatch: "в заголовке",
  back: "К результатам",
  close: "Закрыть",
  draft: "Черновик",
  updated: "Обновлено {{date}}",
  attachments: "Вложения",
  loadFailed: "Статья не открылась: {{reason}}",
  open: "Открыть статью",
};

type Strings = typeof ru;

const en: Strings = {
  title: "Knowledge base",
  navScripts: "Call scripts",
  searchLabel: "Search the knowledge base",
  searchPlaceholder: "E.g. instalments, delivery, warranty",
  nothingFound: "Nothing found for “{{q}}”",
  typeToSearch: "Type the customer's question to find articles",
  searchFailed: "Search failed: {{reason}}",
  titleMatch: "in the title",
  back: "Back to results",
  close: "Close",
  draft: "Draft",
  updated: "Updated {{date}}",
  attachments: "Attachments",
  loadFailed: "The article did not open: {{reason}}",
  open: "Open the article",
};

export const KB_NS = "kb";
i18n.addResourceBundle("ru", KB_NS, ru, true, false);
i18n.addResourceBundle("en", KB_NS, en, true, false);
