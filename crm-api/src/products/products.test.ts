import type { Product } from "@okno/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XLSX_TYPE } from "../import/readFile.ts";
import { sampleXlsx } from "../import/sampleContacts.ts";
import { runImport } from "../import/testImports.ts";
import { startTestApp, type TestApp } from "../test/testApp.ts";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const create = (payload: object, login: "admin" | "manager1" = "admin") =>
  t.app.inject({ method: "POST", url: "/api/v1/products", headers: t.as(login), payload });

describe("products API", () => {
  it("lets administrators create and edit products, and everyone read them", async () => {
    const res = await create({ name: "Кухня «Прованс» 3 м", sku: "KP-300", price: 15_000_000, vatRate: 20 });
    expect(res.statusCode).toBe(201);
    const product = res.json<Product>();
    expect(product).toMatchObject({
      unit: "шт",
      isActive: true,
      price: 15_000_000,
      vatRate: 20,
      externalId: null,
    });

    const patched = await t.app.inject({
      method: "PATCH",
      url: `/api/v1/products/${product.id}`,
      headers: t.as("admin"),
      payload: { price: 14_500_000, isActive: false },
    });
    expect(patched.json()).toMatchObject({ price: 14_500_000, isActive: false });

    const read = await t.app.inject({
      method: "GET",
      url: `/api/v1/products/${product.id}`,
      headers: t.as("agent1"),
    });
    expect(read.statusCode).toBe(200);
    expect((await create({ name: "Стул" }, "manager1")).statusCode).toBe(403);
    const audit = await t.db
      .knex("audit_log")
      .where({ entity: "products", record_id: product.id, action: "update" })
      .first();
    expect(audit.changes).toEqual({
      price: { before: 15_000_000, after: 14_500_000 },
      isActive: { before: true, after: false },
    });
  });

  it("refuses a second product with the same артикул, naming the field", async () => {
    await create({ name: "Мойка", sku: "MO-1" });
    const res = await create({ name: "Мойка другая", sku: "MO-1" });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ error: { fields: object } }>().error.fields).toHaveProperty(["body.sku"]);
  });

  it("finds products by name words or артикул prefix, page by page", async () => {
    for (const n of [1, 2, 3]) {
      await create({ name: `Фасад белый ${n}`, sku: `FB-${n}` });
    }
    const byName = await t.app.inject({
      method: "GET",
      url: "/api/v1/products?q=белый фасад&limit=2",
      headers: t.as("marketer"),
    });
    const page = byName.json<{ items: Product[]; nextCursor: string | null }>();
    expect(page.items.map((p) => p.name)).toEqual(["Фасад белый 1", "Фасад белый 2"]);
    const rest = await t.app.inject({
      method: "GET",
      url: `/api/v1/products?q=белый фасад&limit=2&cursor=${page.nextCursor}`,
      headers: t.as("marketer"),
    });
    expect(rest.json<{ items: Product[] }>().items.map((p) => p.name)).toEqual(["Фасад белый 3"]);
    const bySku = await t.app.inject({
      method: "GET",
      url: "/api/v1/products?q=FB-",
      headers: t.as("agent1"),
    });
    expect(bySku.json<{ items: Product[] }>().items).toHaveLength(3);
  });
});

describe("products import", () => {
  it("reads a price list: prices in kopecks, VAT, units; a repeated артикул is skipped, a known one updated", async () => {
    await create({ name: "Столешница", sku: "ST-1", price: 500_000 });
    const file = await sampleXlsx({
      header: ["Наименование", "Артикул", "Ед. изм.", "Цена", "НДС"],
      rows: [
        ["Плита газовая", "PG-4", "шт", "1 234,50", "20%"],
        ["Столешница дуб", "ST-1", "м", 6990.9, "Без НДС"],
        ["Плита газовая (копия)", "PG-4", "шт", "1 000", "20%"],
        ["Доставка", null, "услуга", "договорная", "20%"],
        ["Кабель", "KB-1", "м", "45,5", "10"],
      ],
    });
    const run = await runImport(t, "admin", file, XLSX_TYPE, { entity: "products", onDuplicate: "update" });

    expect(run).toMatchObject({ created: 2, updated: 1, skipped: 1, errors: 1 });
    expect(run.items).toEqual([
      expect.objectContaining({ row: 3, outcome: "updated" }),
      expect.objectContaining({ row: 4, outcome: "skipped", duplicateOfRow: 2 }),
      expect.objectContaining({ row: 5, outcome: "error", field: "price" }),
    ]);
    const list = await t.app.inject({
      method: "GET",
      url: "/api/v1/products?q=Плита",
      headers: t.as("manager1"),
    });
    expect(list.json<{ items: Product[] }>().items).toEqual([
      expect.objectContaining({
        name: "Плита газовая",
        sku: "PG-4",
        price: 123_450,
        vatRate: 20,
        unit: "шт",
      }),
    ]);
    const updated = await t.app.inject({
      method: "GET",
      url: "/api/v1/products?q=ST-1",
      headers: t.as("manager1"),
    });
    expect(updated.json<{ items: Product[] }>().items).toEqual([
      expect.objectContaining({ name: "Столешница дуб", price: 699_090, unit: "м" }),
    ]);
  });
});
