import { z } from "zod";
import { Id, Kopecks, PageQuery, Text, page } from "./common.ts";

/** Russian VAT rates a product can carry (НК РФ ст. 164); null means "без НДС". */
export const VatRate = z.union([z.literal(0), z.literal(10), z.literal(20)]);
export type VatRate = z.infer<typeof VatRate>;

const productFields = {
  name: Text(500),
  /** Артикул; unique among products that have one. */
  sku: z.string().trim().min(1).max(100).nullable().optional(),
  /** Unit of measure as people write it: «шт», «кг», «м²», «упак». */
  unit: Text(20).default("шт"),
  /** Price per unit in kopecks, VAT included as 1C shows it. */
  price: Kopecks.nullable().optional(),
  vatRate: VatRate.nullable().optional(),
  /** 1C Ref_Key of the item (Справочник.Номенклатура); unique. */
  externalId: z.string().trim().min(1).max(100).nullable().optional(),
  isActive: z.boolean().default(true),
};

export const ProductCreate = z.strictObject(productFields);
export type ProductCreate = z.infer<typeof ProductCreate>;
export type ProductCreateInput = z.input<typeof ProductCreate>;

/** PATCH: every field optional; null clears an optional field. */
export const ProductUpdate = z.strictObject({
  ...productFields,
  name: Text(500).optional(),
  unit: Text(20).optional(),
  isActive: z.boolean().optional(),
});
export type ProductUpdate = z.infer<typeof ProductUpdate>;

export const Product = z.object({
  id: Id,
  name: z.string(),
  sku: z.string().nullable(),
  unit: z.string(),
  price: z.number().int().nullable(),
  vatRate: VatRate.nullable(),
  externalId: z.string().nullable(),
  isActive: z.boolean(),
  createdAt: z.iso.datetime({ offset: true }),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type Product = z.infer<typeof Product>;

export const ProductSort = z.enum(["name", "-name", "createdAt", "-createdAt"]);

export const ProductListQuery = PageQuery.extend({
  /** Words of the name, or the start of an артикул. */
  q: z.string().trim().min(1).max(200).optional(),
  isActive: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
  sort: ProductSort.default("name"),
}).strict();

export const ProductPage = page(Product);
