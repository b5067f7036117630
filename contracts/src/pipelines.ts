import { z } from "zod";
import { Id, Text } from "./common.ts";

/** What a stage means: a deal in a won or lost stage is closed. */
export const StageKind = z.enum(["open", "won", "lost"]);
export type StageKind = z.infer<typeof StageKind>;

export const Stage = z.object({
  id: Id,
  name: z.string(),
  /** Position in the pipeline, ascending; the first stage is where new deals start. */
  sort: z.number().int(),
  kind: StageKind,
  color: z.string().nullable(),
  /** How long a deal may stay in the stage before it counts as late. */
  deadlineHours: z.number().int().nullable(),
});
export type Stage = z.infer<typeof Stage>;

/** A pipeline (направление продаж) with its stages in order. */
export const Pipeline = z.object({
  id: Id,
  name: z.string(),
  sort: z.number().int(),
  /** Deals created without a pipeline go to the default one. */
  isDefault: z.boolean(),
  stages: z.array(Stage),
});
export type Pipeline = z.infer<typeof Pipeline>;

export const PipelineList = z.object({ items: z.array(Pipeline) });

export const StageCreate = z.strictObject({
  name: Text(100),
  kind: StageKind.default("open"),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, "colour is #rrggbb")
    .nullable()
    .optional(),
  deadlineHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 365)
    .nullable()
    .optional(),
});

/** Stages are numbered in the order given; new deals start in the first one, so it must be open. */
export const PipelineCreate = z.strictObject({
  name: Text(200),
  sort: z.number().int().min(0).max(10_000).default(0),
  isDefault: z.boolean().default(false),
  stages: z
    .array(StageCreate)
    .min(1)
    .max(50)
    .refine((stages) => stages[0]?.kind === "open", { message: "the first stage must be open" }),
});
export type PipelineCreate = z.infer<typeof PipelineCreate>;
