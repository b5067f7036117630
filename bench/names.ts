import { FEMALE_FIRST, MALE_FIRST, SURNAMES as DEMO_SURNAMES } from "../db/seeds/names.ts";
import { translit } from "../db/seeds/random.ts";

// Russian names for the generated contacts: the demo seed's lists (db/seeds/names.ts) and more, so that a
// million contacts spread over more names. Surnames are in the masculine form; the feminine form of every
// one of them adds «а» (Иванов → Иванова).

const MORE_SURNAMES = [
  "Жуков",
  "Баранов",
  "Филиппов",
  "Комаров",
  "Давыдов",
  "Беляев",
  "Герасимов",
  "Богданов",
  "Осипов",
  "Сидоров",
  "Матвеев",
  "Титов",
  "Марков",
  "Миронов",
  "Крылов",
  "Куликов",
  "Карпов",
  "Власов",
  "Мельников",
  "Денисов",
  "Гаврилов",
  "Тихонов",
  "Казаков",
  "Афанасьев",
  "Данилов",
  "Савельев",
  "Тимофеев",
  "Фомин",
  "Чернов",
  "Абрамов",
  "Мартынов",
  "Ефимов",
  "Федотов",
  "Щербаков",
  "Назаров",
  "Калинин",
  "Исаев",
  "Чернышёв",
  "Быков",
  "Маслов",
  "Родионов",
  "Коновалов",
  "Лазарев",
  "Воронин",
  "Климов",
  "Филатов",
  "Пономарёв",
  "Голубев",
  "Кудрявцев",
  "Прохоров",
];
/** Where the bench's e-mails were spelled otherwise than the seed's translit: kept, so data stays as it was. */
const LATIN: Record<string, string> = { Михайлов: "mikhailov", Зайцев: "zaitsev" };

/** Surnames with their transliteration (for e-mails). */
export const SURNAMES: [string, string][] = [...DEMO_SURNAMES, ...MORE_SURNAMES].map((s) => [
  s,
  LATIN[s] ?? translit(s),
]);

const byName = (a: string, b: string) => a.localeCompare(b, "ru");

export const MALE_NAMES = [
  ...MALE_FIRST,
  ...["Валерий", "Виталий", "Владислав", "Геннадий", "Георгий", "Денис", "Егор", "Пётр", "Руслан", "Тимур"],
].sort(byName);

export const FEMALE_NAMES = [
  ...FEMALE_FIRST,
  ...["Алла", "Елизавета", "Жанна", "Зоя", "Инна", "Карина", "Кристина", "Лидия", "Маргарита", "Нина"],
].sort(byName);

/**
 * Patronymics as [masculine, feminine]. Spelled out rather than formed with db/seeds/names.ts
 * `patronymic()`, which gets "Дмитриевич" and "Михайлович" wrong.
 */
export const PATRONYMICS: [string, string][] = [
  ["Александрович", "Александровна"],
  ["Алексеевич", "Алексеевна"],
  ["Андреевич", "Андреевна"],
  ["Анатольевич", "Анатольевна"],
  ["Борисович", "Борисовна"],
  ["Васильевич", "Васильевна"],
  ["Викторович", "Викторовна"],
  ["Владимирович", "Владимировна"],
  ["Валерьевич", "Валерьевна"],
  ["Геннадьевич", "Геннадьевна"],
  ["Григорьевич", "Григорьевна"],
  ["Дмитриевич", "Дмитриевна"],
  ["Евгеньевич", "Евгеньевна"],
  ["Иванович", "Ивановна"],
  ["Игоревич", "Игоревна"],
  ["Константинович", "Константиновна"],
  ["Михайлович", "Михайловна"],
  ["Николаевич", "Николаевна"],
  ["Олегович", "Олеговна"],
  ["Павлович", "Павловна"],
  ["Петрович", "Петровна"],
  ["Романович", "Романовна"],
  ["Сергеевич", "Сергеевна"],
  ["Юрьевич", "Юрьевна"],
];

export const POSITIONS = [
  "Директор",
  "Генеральный директор",
  "Главный бухгалтер",
  "Бухгалтер",
  "Менеджер по закупкам",
  "Начальник отдела снабжения",
  "Инженер",
  "Главный инженер",
  "Юрист",
  "Офис-менеджер",
];

export const EMAIL_DOMAINS = [
  "mail.ru",
  "yandex.ru",
  "gmail.com",
  "bk.ru",
  "inbox.ru",
  "list.ru",
  "rambler.ru",
];

export const COMPANY_WORDS = [
  "Вектор",
  "Гранит",
  "Меридиан",
  "Альфа",
  "Восток",
  "Сибирь",
  "Ладога",
  "Кедр",
  "Импульс",
  "Прогресс",
  "Феникс",
  "Орион",
  "Спектр",
  "Атлант",
  "Авангард",
  "Велес",
  "Зенит",
  "Континент",
  "Магистраль",
  "Профиль",
];
export const COMPANY_SUFFIXES = ["", "-Строй", "-Трейд", " Плюс", "-М", "-Сервис", " Групп", "-Логистик"];
export const COMPANY_FORMS = ["ООО", "ООО", "ООО", "АО", "ЗАО"];
/** Two-digit region codes that start a ИНН: Москва, Санкт-Петербург, Московская обл., Свердловская, Татарстан… */
export const INN_REGIONS = ["77", "78", "50", "66", "16", "54", "52", "23", "61", "74"];
