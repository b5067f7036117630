import type {
  Company,
  Deal,
  FieldDefinition,
  FieldDefinitionCreateInput,
  Lead,
  Pipeline,
} from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompany, buildContact, buildDeal, buildLead, buildPipeline } from "../test/factories.ts";
import { startTestApp, type TestApp, type TestLogin } from "../test/testApp.ts";

describe("custom field rules", () => {
  let t: TestApp;

  const api = (
    login: TestLogin,
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: object,
  ) => t.app.inject({ method, url: `/api/v1${url}`, headers: t.as(login), ...(payload ? { payload } : {}) });
  const define = async (input: FieldDefinitionCreateInput) => {
    const res = await api("admin", "POST", "/fields", input);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<FieldDefinition>();
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  describe("required fields", () => {
    let company: Company;
    beforeAll(async () => {
      company = await buildCompany(t, "manager1", { name: "ООО «Старый клиент»" });
      await define({
        entity: "companies",
        key: "industry",
        label: "Отрасль",
        type: "string",
        isRequired: true,
      });
    });

    it("are required on create", async () => {
      const res = await api("manager1", "POST", "/companies", { name: "ООО «Вектор»" });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields).toEqual({ "body.fields.industry": "required" });
      const ok = await api("manager1", "POST", "/companies", {
        name: "ООО «Вектор»",
        fields: { industry: "Мебель" },
      });
      expect(ok.statusCode).toBe(201);
    });

    it("do not block edits of older records that leave custom fields alone", async () => {
      const res = await api("manager1", "PATCH", `/companies/${company.id}`, { note: "Звонить после 15:00" });
      expect(res.statusCode).toBe(200);
    });

    it("must be filled when an update sends custom fields, and cannot be removed", async () => {
      const res = await api("manager1", "PATCH", `/companies/${company.id}`, { fields: {} });
      expect(res.json().error.fields).toEqual({ "body.fields.industry": "required" });
      const filled = await api("manager1", "PATCH", `/companies/${company.id}`, {
        fields: { industry: "Розница" },
      });
      expect(filled.json<Company>().fields).toEqual({ industry: "Розница" });
      const removed = await api("manager1", "PATCH", `/companies/${company.id}`, {
        fields: { industry: null },
      });
      expect(removed.json().error.fields).toEqual({ "body.fields.industry": "required" });
    });
  });

  describe("a pipeline-scoped deal field", () => {
    let tenders: Pipeline;
    let retail: Pipeline;
    beforeAll(async () => {
      tenders = await buildPipeline(t, { name: "Тендеры" });
      retail = await buildPipeline(t, { name: "Розница", isDefault: true });
      await define({
        entity: "deals",
        key: "tender_no",
        label: "Номер закупки",
        type: "string",
        isRequired: true,
        pipelineId: tenders.id,
      });
    });

    it("is required only in its pipeline", async () => {
      const missing = await api("manager1", "POST", "/deals", {
        title: "Кухни для школы",
        pipelineId: tenders.id,
      });
      expect(missing.json().error.fields).toEqual({ "body.fields.tender_no": "required" });
      const deal = await buildDeal(t, "manager1", {
        pipelineId: tenders.id,
        fields: { tender_no: "0373200" },
      });
      expect(deal.fields).toEqual({ tender_no: "0373200" });
      expect((await buildDeal(t, "manager1", {})).pipelineId).toBe(retail.id);
    });

    it("is refused in another pipeline", async () => {
      const res = await api("manager1", "POST", "/deals", { title: "Шкаф", fields: { tender_no: "1" } });
      expect(res.json().error.fields).toEqual({ "body.fields.tender_no": "not a field of this pipeline" });
    });

    it("must be given when a deal moves into the pipeline", async () => {
      const deal = await buildDeal(t, "manager1", { pipelineId: retail.id });
      const moved = await api("manager1", "PATCH", `/deals/${deal.id}`, { pipelineId: tenders.id });
      expect(moved.json().error.fields).toEqual({ "body.fields.tender_no": "required" });
      const ok = await api("manager1", "PATCH", `/deals/${deal.id}`, {
        pipelineId: tenders.id,
        fields: { tender_no: "0373201" },
      });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<Deal>()).toMatchObject({ pipelineId: tenders.id, fields: { tender_no: "0373201" } });
    });

    it("belongs only to deals", async () => {
      const res = await api("admin", "POST", "/fields", {
        entity: "leads",
        key: "tender_no",
        label: "Номер закупки",
        type: "string",
        pipelineId: tenders.id,
      });
      expect(res.json().error.fields).toEqual({
        "body.pipelineId": "only deal fields can belong to a pipeline",
      });
    });
  });

  describe("removing an enum option", () => {
    let extras: FieldDefinition;
    let lead: Lead;
    const options = [
      { value: "sink", label: "Мойка" },
      { value: "oven", label: "Духовой шкаф" },
      { value: "hood", label: "Вытяжка" },
    ];
    beforeAll(async () => {
      extras = await define({
        entity: "leads",
        key: "extras",
        label: "Техника",
        type: "multi-enum",
        options,
      });
      lead = await buildLead(t, "manager1", { fields: { extras: ["oven", "sink"] } });
    });

    it("stores multi-enum choices in the options' order", () => {
      expect(lead.fields).toEqual({ extras: ["sink", "oven"] });
    });

    it("is a 409 while records use it", async () => {
      const res = await api("admin", "PATCH", `/fields/${extras.id}`, { options: options.slice(0, 1) });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.fields).toEqual({ "body.options": "still used by records: oven (1)" });
      expect((await api("manager1", "GET", `/leads/${lead.id}`)).json<Lead>().fields).toEqual({
        extras: ["sink", "oven"],
      });
    });

    it("with force, clears it from records and audits each change", async () => {
      const unused = options.filter((o) => o.value !== "hood");
      expect((await api("admin", "PATCH", `/fields/${extras.id}`, { options: unused })).statusCode).toBe(200);
      const res = await api("admin", "PATCH", `/fields/${extras.id}`, {
        options: [options[0]!],
        force: true,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<FieldDefinition>().options).toEqual([options[0]]);
      expect((await api("manager1", "GET", `/leads/${lead.id}`)).json<Lead>().fields).toEqual({
        extras: ["sink"],
      });
      const audit = await t.db
        .knex("audit_log")
        .where({ entity: "leads", record_id: lead.id })
        .whereRaw("meta ->> 'reason' = 'options removed'")
        .first<{ changes: unknown }>("changes");
      expect(audit?.changes).toEqual({
        fields: { before: { extras: ["sink", "oven"] }, after: { extras: ["sink"] } },
      });
    });
  });

  describe("a user field", () => {
    beforeAll(async () => {
      await define({ entity: "contacts", key: "designer", label: "Дизайнер", type: "user" });
    });

    it("takes an active user and refuses anyone else", async () => {
      const contact = await buildContact(t, "manager1", { fields: { designer: t.org.users.agent1.id } });
      expect(contact.fields).toEqual({ designer: t.org.users.agent1.id });
      await t.db.knex("users").where("id", t.org.users.agent2.id).update({ is_active: false });
      for (const id of [t.org.users.agent2.id, "00000000-0000-4000-8000-000000000000"]) {
        const res = await api("manager1", "PATCH", `/contacts/${contact.id}`, { fields: { designer: id } });
        expect(res.json().error.fields).toEqual({ "body.fields.designer": "no such active user" });
      }
    });
  });

  it("refuses options on a field that has none, and keys that are not slugs", async () => {
    const field = await define({ entity: "companies", key: "site_visits", label: "Визиты", type: "number" });
    const res = await api("admin", "PATCH", `/fields/${field.id}`, { options: [{ value: "a", label: "А" }] });
    expect(res.json().error.fields).toEqual({ "body.options": "not an enum field" });
    const bad = await api("admin", "POST", "/fields", {
      entity: "companies",
      key: "Визиты",
      label: "В",
      type: "number",
    });
    expect(Object.keys(bad.json<{ error: { fields: object } }>().error.fields)).toEqual(["body.key"]);
  });
});
