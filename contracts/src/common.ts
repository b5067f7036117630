import { z } from "zod";

export const Id = z.uuid();

/** Money is integer kopecks: never a float. */
export const Kopecks = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** Opaque cursor from a previous page's `nextCursor`. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

/** Trimmed non-empty text with an upper bound, for names and titles. */
export const Text = (max: number) => z.string().trim().min(1).max(max);
