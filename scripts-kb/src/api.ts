import { Id, Text } from "@okno/contracts";
import { z } from "zod";
import { CaptureEntity, ScriptGraph } from "./script.ts";
import { CaptureValue, RunInput, RunState } from "./run.ts";
import { ScriptProblem } from "./validate.ts";

// HTTP shapes of /api/v1/scripts and the script runs of interactions. They live here rather than in
// @okno/contracts because they carry the graph and run schemas, which contracts cannot import.

/** Where a script applies: a PBX queue, a dialled line (E.164), an outbound campaign or a deal stage. */
export const AssignmentKind = z.enum(["queue", "line", "campaign", "stage"]);
export type AssignmentKind = z.infer<typeof AssignmentKind>;

export const AssignmentInput = z.strictObject({
  kind: AssignmentKind,
  value: z.string().trim().min(1).max(200),
  /** Higher wins; between equal priorities the more specific kind (line, campaign, stage, queue). */
  priority: z.number().int().min(-1000).max(1000).default(0),
});
export type AssignmentInput = z.infer<typeof AssignmentInput>;
export const Assignment = z.object({ kind: AssignmentKind, value: z.string(), priority: z.number().int() });
export type Assignment = z.infer<typeof Assignment>;
export const AssignmentList = z.strictObject({ items: z.array(AssignmentInput).max(100) });

/** A draft may be unfinished: any JSON object is kept, and validated on publish. */
const Draft = z
  .record(z.string(), z.unknown())
  .refine((d) => JSON.stringify(d).length <= 500_000, "too large");

export const ScriptCreate = z.strictObject({
  name: Text(200),
  description: z.string().trim().max(2000).nullable().optional(),
  draft: Draft,
});
export type ScriptCreate = z.infer<typeof ScriptCreate>;
export const ScriptUpdate = z.strictObject({
  name: Text(200).optional(),
  description: z.string().trim().max(2000).nullable().optional(),
  draft: Draft.optional(),
  isArchived: z.boolean().optional(),
});
export type ScriptUpdate = z.infer<typeof ScriptUpdate>;

export const VersionRef = z.object({
  id: Id,
  version: z.number().int(),
  publishedAt: z.iso.datetime({ offset: true }),
});

export const ScriptSummary = z.object({
  id: Id,
  name: z.string(),
  description: z.string().nullable(),
  isArchived: z.boolean(),
  /** The version calls get; null until first published. */
  latestVersion: VersionRef.nullable(),
  assignments: z.array(Assignment),
  updatedAt: z.iso.datetime({ offset: true }),
});
export type ScriptSummary = z.infer<typeof ScriptSummary>;

export const ScriptDetail = ScriptSummary.extend({
  draft: z.record(z.string(), z.unknown()),
  /** What keeps the draft from being published (empty: it can be). */
  problems: z.array(ScriptProblem),
});
export type ScriptDetail = z.infer<typeof ScriptDetail>;

export const ScriptVersion = z.object({
  id: Id,
  scriptId: Id,
  name: z.string(),
  version: z.number().int(),
  graph: ScriptGraph,
  publishedAt: z.iso.datetime({ offset: true }),
  publishedBy: Id.nullable(),
});
export type ScriptVersion = z.infer<typeof ScriptVersion>;

/** GET /scripts/resolve: by a call, or by what a call would carry. */
export const ResolveQuery = z.strictObject({
  callId: z.string().max(200).optional(),
  line: z.string().max(40).optional(),
  queue: z.string().max(200).optional(),
  campaignId: Id.optional(),
  stageId: Id.optional(),
});
export type ResolveQuery = z.infer<typeof ResolveQuery>;
export const ResolvedScript = z.object({
  script: z.object({ assignment: Assignment, version: ScriptVersion }).nullable(),
});
export type ResolvedScript = z.infer<typeof ResolvedScript>;

/** POST /interactions/:id/script-run: what the agent did; the server replays it before saving. */
export const ScriptRunInput = z.strictObject({
  versionId: Id,
  /** The nodes the desktop went through; must equal the replay's path. */
  path: z.array(z.string().max(40)).max(2000),
  answers: z.array(RunInput).max(2000),
});
export type ScriptRunInput = z.infer<typeof ScriptRunInput>;

export const AppliedCapture = z.object({
  nodeId: z.string(),
  entity: CaptureEntity,
  recordId: Id,
  field: z.string(),
  value: CaptureValue,
});
export const ScriptRun = z.object({
  id: Id,
  interactionId: Id,
  versionId: Id,
  scriptId: Id,
  version: z.number().int(),
  status: RunState.shape.status.exclude(["broken"]),
  outcome: RunState.shape.outcome,
  path: z.array(z.string()),
  answers: z.array(RunInput),
  captures: z.array(AppliedCapture),
  createdBy: Id.nullable(),
  createdAt: z.iso.datetime({ offset: true }),
});
export type ScriptRun = z.infer<typeof ScriptRun>;
