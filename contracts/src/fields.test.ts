import { describe, expect, it } from "vitest";
import {
  FieldDefinitionCreate,
  FieldDefinitionUpdate,
  normalizeFieldValue,
  validateFieldValues,
  withFieldFilters,
  type FieldRule,
  type FieldType,
} from "./fields.ts";
import { PageQuery } from "./common.ts";

const PIPELINE_A = "6f1c1a4e-0000-4000-8000-00000000000a";
const PIPELINE_B = "6f1c1a4e-0000-4000-8000-00000000000b";

const rule = (key: string, type: FieldType, extra: Partial<FieldRule> = {}): FieldRule => ({
  key,
  type,
  options: [],
  isRequired: false,
  isHidden: false,
  pipelineId: null,
  ...extra,
});

const kitchen = rule("kitchen_type", "enum", {
  options: [
    { value: "straight", label: "Прямая" },
    { value: "corner", label: "Угловая" },
  ],
});
const extras = rule("extras", "multi-enum", {
  options: [
    { value: "sink", label: "Мойка" },
    { value: "oven", label: "Духовой шкаф" },
    { value: "hood", label: "Вытяжка" },
  ],
});

const value = (type: FieldType, input: unknown, options = extras.options) =>
  normalizeFieldValue({ type, options }, input);

describe("normalizeFieldValue", () => {
  it.each<[FieldType, unknown, unknown]>([
    ["string", "  Кухня «Модерн»  ", "Кухня «Модерн»"],
    ["text", "Замер в субботу\nпосле 12:00", "Замер в субботу\nпосле 12:00"],
    ["number", 3.25, 3.25],
    ["number", -7, -7],
    ["money", 15_000_000, 15_000_000],
    ["date", "2026-12-01", "2026-12-01"],
    ["datetime", "2026-12-01T12:30:00+03:00", "2026-12-01T09:30:00.000Z"],
    ["boolean", false, false],
    ["user", "6f1c1a4e-0000-4000-8000-000000000001", "6f1c1a4e-0000-4000-8000-000000000001"],
    ["phone", "8 (912) 345-67-89", "+79123456789"],
    ["email", " Olga.Petrova@Mail.RU ", "olga.petrova@mail.ru"],
    ["url", "https://uyut-mebel.ru/catalog?id=5", "https://uyut-mebel.ru/catalog?id=5"],
    ["multi-enum", ["hood", "sink", "hood"], ["sink", "hood"]],
    [
      "file",
      { fileId: "6f1c1a4e-0000-4000-8000-000000000002", name: "Договор.pdf" },
      { fileId: "6f1c1a4e-0000-4000-8000-000000000002", name: "Договор.pdf" },
    ],
  ])("stores a %s written as %j as %j", (type, input, stored) => {
    expect(value(type, input)).toEqual({ ok: true, value: stored });
  });

  it.each<[FieldType, unknown, string]>([
    ["string", 42, "must be text"],
    ["string", "я".repeat(501), "must be at most 500 characters"],
    ["number", "12", "must be a number"],
    ["number", 1e300, "must be a number"],
    ["money", 10.5, "must be a whole number of kopecks"],
    ["money", 2 ** 60, "must be a whole number of kopecks"],
    ["date", "01.12.2026", "must be a date YYYY-MM-DD"],
    ["date", "2026-02-30", "must be a date YYYY-MM-DD"],
    ["datetime", "2026-12-01T12:30:00", "must be a date and time in ISO 8601 with an offset"],
    ["boolean", "true", "must be true or false"],
    ["user", "manager1", "must be a user id"],
    ["phone", "12345", "not a valid phone number"],
    ["email", "olga@", "not a valid e-mail address"],
    ["url", "javascript:alert(1)", "must be an http or https URL"],
    ["url", "ftp://files.example.ru/a.zip", "must be an http or https URL"],
    ["multi-enum", "sink", "must be a list of: sink, oven, hood"],
    ["multi-enum", ["sink", "dishwasher"], "must be one of: sink, oven, hood"],
    ["file", { fileId: "not-a-uuid", name: "a.pdf" }, "must be { fileId, name } of an uploaded file"],
  ])("refuses a %s given %j: %s", (type, input, reason) => {
    expect(value(type, input)).toEqual({ ok: false, reason });
  });

  it("lists the choices of an enum in its reason", () => {
    expect(value("enum", "island", kitchen.options)).toEqual({
      ok: false,
      reason: "must be one of: straight, corner",
    });
  });

  it.each([null, "", "   ", []])("reads %j as no value", (input) => {
    const type = Array.isArray(input) ? "multi-enum" : "string";
    expect(value(type, input)).toEqual({ ok: true, value: undefined });
  });
});

describe("validateFieldValues", () => {
  const size = rule("kitchen_size", "number");
  const measured = rule("measured_on", "date", { isRequired: true });

  it("normalises every given value", () => {
    const result = validateFieldValues(
      [kitchen, size, extras],
      { kitchen_type: "corner", extras: ["oven"] },
      {
        mode: "create",
      },
    );
    expect(result).toEqual({ ok: true, values: { kitchen_type: "corner", extras: ["oven"] } });
  });

  it("names each bad value by its body path, and refuses unknown keys", () => {
    const result = validateFieldValues(
      [kitchen, size],
      { kitchen_type: "island", kitchen_size: "big", colour: "red" },
      {
        mode: "create",
      },
    );
    expect(result).toEqual({
      ok: false,
      errors: {
        "body.fields.kitchen_type": "must be one of: straight, corner",
        "body.fields.kitchen_size": "must be a number",
        "body.fields.colour": "unknown field",
      },
    });
  });

  it("requires required fields on create", () => {
    expect(validateFieldValues([measured, size], { kitchen_size: 6 }, { mode: "create" })).toEqual({
      ok: false,
      errors: { "body.fields.measured_on": "required" },
    });
  });

  it("reports a bad required value by its reason, not as missing", () => {
    const result = validateFieldValues([measured], { measured_on: "завтра" }, { mode: "create" });
    expect(result).toEqual({ ok: false, errors: { "body.fields.measured_on": "must be a date YYYY-MM-DD" } });
  });

  it("does not require a hidden field: no form shows it", () => {
    const hidden = { ...measured, isHidden: true };
    expect(validateFieldValues([hidden], {}, { mode: "create" })).toEqual({ ok: true, values: {} });
  });

  it("merges an update: given keys replace, null removes, others stay", () => {
    const existing = { kitchen_type: "straight", kitchen_size: 6, extras: ["sink"] };
    const result = validateFieldValues(
      [kitchen, size, extras],
      { kitchen_size: 7.5, extras: null },
      {
        mode: "update",
        existing,
      },
    );
    expect(result).toEqual({ ok: true, values: { kitchen_type: "straight", kitchen_size: 7.5 } });
    expect(existing).toEqual({ kitchen_type: "straight", kitchen_size: 6, extras: ["sink"] });
  });

  it("refuses an update that would leave a required field empty, but not one that keeps it", () => {
    const existing = { measured_on: "2026-12-01" };
    expect(validateFieldValues([measured], { measured_on: null }, { mode: "update", existing })).toEqual({
      ok: false,
      errors: { "body.fields.measured_on": "required" },
    });
    expect(validateFieldValues([measured, size], { kitchen_size: 5 }, { mode: "update", existing })).toEqual({
      ok: true,
      values: { measured_on: "2026-12-01", kitchen_size: 5 },
    });
  });

  it("in update mode also requires a field the record never had", () => {
    expect(validateFieldValues([measured], {}, { mode: "update", existing: {} })).toEqual({
      ok: false,
      errors: { "body.fields.measured_on": "required" },
    });
  });

  describe("pipeline-scoped fields", () => {
    const budget = rule("tender_budget", "money", { pipelineId: PIPELINE_A, isRequired: true });

    it("applies a pipeline's field, required included, only to records in that pipeline", () => {
      expect(validateFieldValues([budget], {}, { mode: "create", pipelineId: PIPELINE_A })).toEqual({
        ok: false,
        errors: { "body.fields.tender_budget": "required" },
      });
      expect(validateFieldValues([budget], {}, { mode: "create", pipelineId: PIPELINE_B })).toEqual({
        ok: true,
        values: {},
      });
    });

    it("refuses a value for another pipeline's field", () => {
      expect(
        validateFieldValues([budget], { tender_budget: 100 }, { mode: "create", pipelineId: PIPELINE_B }),
      ).toEqual({ ok: false, errors: { "body.fields.tender_budget": "not a field of this pipeline" } });
    });

    it("keeps the values of a pipeline the record has left", () => {
      const result = validateFieldValues(
        [budget, size],
        { kitchen_size: 4 },
        {
          mode: "update",
          existing: { tender_budget: 100 },
          pipelineId: PIPELINE_B,
        },
      );
      expect(result).toEqual({ ok: true, values: { tender_budget: 100, kitchen_size: 4 } });
    });
  });
});

describe("FieldDefinitionCreate", () => {
  const base = { entity: "deals", key: "kitchen_type", label: "Тип кухни" } as const;

  it("needs options for an enum, refuses them for other types, and refuses duplicates", () => {
    const paths = (input: object) =>
      FieldDefinitionCreate.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(paths({ ...base, type: "enum" })).toEqual([
      ["options", "an enum field needs at least one option"],
    ]);
    expect(paths({ ...base, type: "string", options: [{ value: "a", label: "А" }] })).toEqual([
      ["options", "only enum and multi-enum fields have options"],
    ]);
    expect(
      paths({
        ...base,
        type: "enum",
        options: [
          { value: "a", label: "А" },
          { value: "a", label: "Б" },
        ],
      }),
    ).toEqual([["options.1.value", "duplicate option value"]]);
  });

  it("takes a pipeline only for deal fields, and keys only as slugs", () => {
    const contactField = { ...base, entity: "contacts", type: "string", pipelineId: PIPELINE_A };
    expect(FieldDefinitionCreate.safeParse(contactField).error?.issues[0]?.path).toEqual(["pipelineId"]);
    expect(FieldDefinitionCreate.safeParse({ ...base, type: "string", key: "Тип" }).success).toBe(false);
    expect(FieldDefinitionCreate.safeParse({ ...base, type: "string", key: "1st" }).success).toBe(false);
    expect(FieldDefinitionCreate.parse({ ...base, type: "string", section: " " })).toMatchObject({
      isRequired: false,
      isHidden: false,
      section: null,
    });
  });

  it("never lets an update change the key or type", () => {
    expect(FieldDefinitionUpdate.safeParse({ key: "other" }).success).toBe(false);
    expect(FieldDefinitionUpdate.safeParse({ type: "number" }).success).toBe(false);
  });
});

describe("withFieldFilters", () => {
  const Query = withFieldFilters(PageQuery.extend({ q: PageQuery.shape.cursor }).strict());

  it("takes f.<key>, f.<key>.gte and f.<key>.lte next to the declared parameters", () => {
    expect(Query.parse({ limit: "10", "f.kitchen_type": "corner", "f.size.gte": "5" })).toEqual({
      limit: 10,
      "f.kitchen_type": "corner",
      "f.size.gte": "5",
    });
  });

  it("still refuses any other unknown parameter, naming it", () => {
    for (const bad of ["colour", "f.Size", "f.size.between", "f."]) {
      expect(Query.safeParse({ [bad]: "1" }).error?.issues).toEqual([
        expect.objectContaining({ path: [bad], message: "unknown parameter" }),
      ]);
    }
  });
});
