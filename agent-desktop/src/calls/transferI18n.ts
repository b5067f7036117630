import { i18n } from "../i18n/i18n.ts";

/** Warm transfer on the card (the note for a colleague, the colleague's side) and a call's agents. */
const ru = {
  noteFor: "Записка для {{who}}",
  notePlaceholder: "Что нужно клиенту, о чём уже договорились…",
  send: "Передать записку",
  sent: "Записка передана",
  from: "Звонок передаёт {{name}}",
  fromExt: "{{name}}, внутр. {{ext}}",
  noNote: "Коллега пока не оставил записку",
  waitingClient: "Клиент от коллеги",
  agents: "Разговаривали",
  transfer: { attended: "перевод с консультацией", blind: "перевод без консультации" },
};

type Strings = typeof ru;

const en: Strings = {
  noteFor: "Note for {{who}}",
  notePlaceholder: "What the client needs, what you already agreed…",
  send: "Send the note",
  sent: "Note sent",
  from: "{{name}} is transferring the call",
  fromExt: "{{name}}, ext. {{ext}}",
  noNote: "No note from your colleague yet",
  waitingClient: "A colleague's client",
  agents: "Talked",
  transfer: { attended: "warm transfer", blind: "blind transfer" },
};

export const TRANSFER_NS = "transfer";
i18n.addResourceBundle("ru", TRANSFER_NS, ru, true, false);
i18n.addResourceBundle("en", TRANSFER_NS, en, true, false);
