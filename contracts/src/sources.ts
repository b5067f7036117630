import { z } from "zod";
import { Id } from "./common.ts";

/** An advertising source (Яндекс.Директ, Авито, сарафан…): what calls and leads are attributed to. */
export const Source = z.object({
  id: Id,
  name: z.string(),
  /** The utm_source value that maps a website visit to this source. */
  utmSource: z.string().nullable(),
  isActive: z.boolean(),
});
export type Source = z.infer<typeof Source>;

/** GET /api/v1/sources: every source by name; `active=true` leaves out the retired ones. */
export const SourceQuery = z.strictObject({ active: z.enum(["true", "false"]).optional() });
export const SourceList = z.object({ items: z.array(Source) });
export type SourceList = z.infer<typeof SourceList>;
