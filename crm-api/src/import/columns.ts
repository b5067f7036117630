import { IGNORE_COLUMN, IMPORT_FIELDS, type ImportColumn, type ImportEntity } from "@okno/contracts";

/** «E-mail» → "email", «Ед. изм.» → "едизм", «Ref_Key» → "refkey": what header matching compares. */
export function normalizeHeader(header: string): string {
  return header
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[^\p{L}\p{N}]/gu, "");
}

interface Guess {
  field: string;
  /** Normalised headers that mean this field exactly. */
  exact: string[];
  /** Normalised beginnings, tried after every exact match failed. */
  prefixes?: string[];
  /** Normalised fragments, tried last. */
  contains?: string[];
}

const PHONE: Guess = {
  field: "phone",
  exact: [
    "телефон",
    "телефоны",
    "тел",
    "мобильный",
    "сотовый",
    "phone",
    "phones",
    "mobile",
    "tel",
    "telephone",
  ],
  contains: ["телефон", "мобильн", "сотов", "phone", "mobile"],
};
const EMAIL: Guess = {
  field: "email",
  exact: ["email", "emails", "почта", "электроннаяпочта", "эпочта", "mail", "емейл", "имейл", "емэйл"],
  contains: ["email", "почт", "mail"],
};
const OWNER: Guess = {
  field: "owner",
  exact: [
    "ответственный",
    "ответственныйменеджер",
    "менеджер",
    "owner",
    "responsible",
    "manager",
    "assignedto",
  ],
  contains: ["ответствен"],
};
const NOTE: Guess = {
  field: "note",
  exact: ["комментарий", "примечание", "заметка", "заметки", "note", "notes", "comment", "comments"],
  contains: ["коммент", "примечан"],
};
// A prefix, not a fragment: «инн» hides inside ordinary words («длинное»).
const INN: Guess = { field: "inn", exact: ["инн", "inn", "taxid"], prefixes: ["инн"] };
const EXTERNAL_ID: Guess = {
  field: "externalId",
  exact: ["refkey", "guid", "uuid", "uid", "идентификатор", "externalid", "id1c", "идентификатор1с"],
};

// Order matters only among `contains` fragments: the first guess whose fragment fits wins.
const GUESSES: Record<ImportEntity, Guess[]> = {
  contacts: [
    {
      field: "fullName",
      exact: [
        "фио",
        "фамилияимяотчество",
        "контакт",
        "контактноелицо",
        "клиент",
        "fullname",
        "name",
        "contact",
      ],
      contains: ["фио", "контактн"],
    },
    { field: "lastName", exact: ["фамилия", "lastname", "surname", "familyname"], contains: ["фамили"] },
    { field: "firstName", exact: ["имя", "firstname", "givenname"] },
    { field: "middleName", exact: ["отчество", "middlename", "patronymic"], contains: ["отчеств"] },
    PHONE,
    EMAIL,
    {
      field: "company",
      exact: [
        "компания",
        "организация",
        "контрагент",
        "работодатель",
        "company",
        "organization",
        "organisation",
      ],
      contains: ["компани", "организац", "контрагент"],
    },
    INN,
    { field: "position", exact: ["должность", "position", "jobtitle", "title"], contains: ["должност"] },
    { field: "birthday", exact: ["датарождения", "деньрождения", "birthday", "birthdate", "dateofbirth"] },
    NOTE,
    OWNER,
  ],
  companies: [
    {
      field: "name",
      exact: [
        "наименование",
        "название",
        "компания",
        "организация",
        "контрагент",
        "name",
        "company",
        "organization",
      ],
      contains: ["наименован", "названи"],
    },
    INN,
    { field: "kpp", exact: ["кпп", "kpp"] },
    { field: "ogrn", exact: ["огрн", "огрнип", "ogrn"] },
    PHONE,
    EMAIL,
    { field: "website", exact: ["сайт", "вебсайт", "интернетсайт", "website", "site", "url", "www"] },
    { field: "address", exact: ["адрес", "address", "legaladdress"], contains: ["адрес", "address"] },
    NOTE,
    EXTERNAL_ID,
    OWNER,
  ],
  products: [
    {
      field: "name",
      exact: [
        "наименование",
        "название",
        "номенклатура",
        "товар",
        "услуга",
        "name",
        "product",
        "item",
        "title",
      ],
      contains: ["наименован", "названи", "номенклатур"],
    },
    {
      field: "sku",
      exact: ["артикул", "арт", "sku", "article", "vendorcode", "partnumber"],
      contains: ["артикул"],
    },
    {
      field: "unit",
      exact: ["едизм", "единицаизмерения", "единица", "ед", "unit", "uom"],
      contains: ["едизм", "единиц"],
    },
    { field: "price", exact: ["цена", "стоимость", "price", "cost"], contains: ["цена", "price"] },
    { field: "vatRate", exact: ["ндс", "ставкандс", "vat", "vatrate"], contains: ["ндс"] },
    EXTERNAL_ID,
    { field: "isActive", exact: ["активен", "активный", "активность", "active", "isactive"] },
  ],
};

/** Fields that take every column mapped to them (and several values per cell); the others take the first. */
export const MULTI_VALUE_FIELDS = new Set(["phone", "email"]);

/** The field a header most likely means, or null. */
export function guessField(entity: ImportEntity, header: string): string | null {
  const h = normalizeHeader(header);
  if (h === "") {
    return null;
  }
  const guesses = GUESSES[entity];
  const exact = guesses.find((g) => g.exact.includes(h));
  if (exact) {
    return exact.field;
  }
  const byPrefix = guesses.find((g) => g.prefixes?.some((p) => h.startsWith(p)));
  return (byPrefix ?? guesses.find((g) => g.contains?.some((c) => h.includes(c))))?.field ?? null;
}

/** How many cells of a row read as known headers: the header row is the first that looks like one. */
export function headerScore(entity: ImportEntity, cells: string[]): number {
  return cells.filter((c) => guessField(entity, c) !== null).length;
}

/** Fields without which a row cannot become a record. */
const NAME_FIELDS: Record<ImportEntity, string[]> = {
  contacts: ["fullName", "firstName", "lastName"],
  companies: ["name"],
  products: ["name"],
};

export interface ResolvedColumns {
  /** Per column of the file, the field it feeds (null: nobody reads it). */
  columns: ImportColumn[];
  /** Why the mapping cannot be used; empty when it can. */
  problems: string[];
}

/**
 * The field of every column: the explicit mapping where it names the column (by its header as written,
 * or normalised), the guess from the header otherwise. A single-value field read by two columns keeps the
 * first. A mapping that names a header the file lacks, or a field the entity lacks, is a problem.
 */
export function resolveColumns(
  entity: ImportEntity,
  headers: string[],
  mapping: Record<string, string> = {},
): ResolvedColumns {
  const problems: string[] = [];
  const fields = IMPORT_FIELDS[entity] as readonly string[];
  const explicit = new Map<string, string>();
  for (const [header, field] of Object.entries(mapping)) {
    if (field !== IGNORE_COLUMN && !fields.includes(field)) {
      problems.push(
        `${field} is not a field of ${entity} (one of ${fields.join(", ")}, or ${IGNORE_COLUMN})`,
      );
    }
    if (!headers.some((h) => normalizeHeader(h) === normalizeHeader(header))) {
      problems.push(`the file has no column ${JSON.stringify(header)}`);
    }
    explicit.set(normalizeHeader(header), field);
  }
  const taken = new Set<string>();
  const columns = headers.map((header) => {
    const chosen = explicit.get(normalizeHeader(header)) ?? guessField(entity, header);
    const field = chosen === IGNORE_COLUMN ? null : chosen;
    if (field === null || (taken.has(field) && !MULTI_VALUE_FIELDS.has(field))) {
      return { header, field: null };
    }
    taken.add(field);
    return { header, field };
  });
  if (!NAME_FIELDS[entity].some((f) => taken.has(f))) {
    problems.push(
      `no column holds the ${entity === "contacts" ? "person's name (ФИО, Фамилия or Имя)" : "name (Наименование)"}; name it in mapping`,
    );
  }
  return { columns, problems };
}
