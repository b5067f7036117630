import { i18n } from "../i18n/i18n.ts";

/** The softphone's strings in their own namespace ("softphone"), registered when the panel loads. */
const ru = {
  status: {
    offline: "Телефон выключен",
    connecting: "Подключение к АТС…",
    registered: "На связи",
    reconnecting: "Нет связи с АТС — переподключаемся",
    reconnectingAttempt: "Нет связи с АТС — попытка {{attempt}}",
    failed: "АТС не приняла вход",
    unavailable: "Софтфон не настроен: нет внутреннего номера",
  },
  line: {
    incoming: "Входящий звонок",
    dialing: "Набор номера…",
    active: "Разговор",
    held: "На удержании",
    consult: "Консультация",
    transferring: "Перевод…",
  },
  action: {
    answer: "Ответить",
    reject: "Отклонить",
    hangup: "Завершить",
    mute: "Выключить микрофон",
    unmute: "Включить микрофон",
    hold: "Удержание",
    unhold: "Снять с удержания",
    keypad: "Клавиатура",
    call: "Позвонить",
    blindTransfer: "Перевести",
    consult: "Консультация",
    completeTransfer: "Соединить",
    cancelConsult: "Вернуться к клиенту",
    connect: "Включить телефон",
    retry: "Повторить",
  },
  dialPlaceholder: "Номер или внутренний",
  transferPlaceholder: "Кому: внутренний или номер",
  transferFailed: "Перевод не удался ({{reason}}), клиент на удержании",
  notification: "Звонок: {{who}}",
  unknownCaller: "Неизвестный номер",
  title: "Телефон",
};

type Strings = typeof ru;

const en: Strings = {
  status: {
    offline: "Phone off",
    connecting: "Connecting to the PBX…",
    registered: "Online",
    reconnecting: "PBX unreachable — reconnecting",
    reconnectingAttempt: "PBX unreachable — attempt {{attempt}}",
    failed: "The PBX refused the login",
    unavailable: "Softphone not set up: no extension",
  },
  line: {
    incoming: "Incoming call",
    dialing: "Dialling…",
    active: "Talking",
    held: "On hold",
    consult: "Consultation",
    transferring: "Transferring…",
  },
  action: {
    answer: "Answer",
    reject: "Decline",
    hangup: "Hang up",
    mute: "Mute",
    unmute: "Unmute",
    hold: "Hold",
    unhold: "Resume",
    keypad: "Keypad",
    call: "Call",
    blindTransfer: "Transfer",
    consult: "Consult",
    completeTransfer: "Connect",
    cancelConsult: "Back to the customer",
    connect: "Turn the phone on",
    retry: "Retry",
  },
  dialPlaceholder: "Number or extension",
  transferPlaceholder: "To: extension or number",
  transferFailed: "Transfer failed ({{reason}}), the customer is on hold",
  notification: "Call: {{who}}",
  unknownCaller: "Unknown number",
  title: "Phone",
};

export const SOFTPHONE_NS = "softphone";
i18n.addResourceBundle("ru", SOFTPHONE_NS, ru, true, false);
i18n.addResourceBundle("en", SOFTPHONE_NS, en, true, false);
