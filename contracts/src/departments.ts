import { z } from "zod";
import { Id, Text } from "./common.ts";

/** One department of the company tree. Lists come flat, depth-first, siblings by name. */
export const Department = z.object({
  id: Id,
  name: z.string(),
  /** Null only for the company itself, the root of the tree. */
  parentId: Id.nullable(),
  /** 0 for the root, 1 for its children, and so on. */
  depth: z.number().int().min(0),
});
export type Department = z.infer<typeof Department>;

export const DepartmentCreate = z.strictObject({
  name: Text(200),
  parentId: Id,
});
export type DepartmentCreate = z.infer<typeof DepartmentCreate>;

/** Rename, or move (with everything below it) under another parent. */
export const DepartmentUpdate = z.strictObject({
  name: Text(200).optional(),
  parentId: Id.optional(),
});
export type DepartmentUpdate = z.infer<typeof DepartmentUpdate>;
