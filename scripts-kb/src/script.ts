import { z } from "zod";

/**
 * A call script is a graph of nodes that an agent walks during a call:
 *
 *   say ──next──► question ──answer──► capture ──next──► jump ──target──► … ──► end(outcome)
 *
 * `say` shows text (with card placeholders such as {contact.firstName}), `question` offers answers each
 * leading to a node, `capture` writes what the customer said into a field of the card's contact, company,
 * lead or deal, `jump` goes elsewhere without input, `end` finishes the call with an outcome.
 * The schema checks each node's shape; validate.ts checks the graph (links, reachability, exits).
 */

/** A node's id, stable across versions so that runs and the editor can refer to it. */
export const NodeId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "letters, digits, _ and -, at most 40");
export type NodeId = z.infer<typeof NodeId>;

const Text = (max: number) => z.string().trim().min(1).max(max);

/** Records a capture may write into, named as on the card. */
export const CaptureEntity = z.enum(["contact", "company", "lead", "deal"]);
export type CaptureEntity = z.infer<typeof CaptureEntity>;

/** Standard fields a script may write, per entity; custom fields are `fields.<key>`. */
export const CAPTURE_FIELDS: Record<CaptureEntity, readonly string[]> = {
  contact: ["lastName", "firstName", "middleName", "position", "birthday", "note"],
  company: ["name", "inn", "kpp", "website", "address", "email", "phone", "note"],
  lead: ["title", "contactName", "companyName", "email", "amount", "note"],
  deal: ["title", "amount", "expectedCloseDate", "note"],
};

const CUSTOM_FIELD = /^fields\.[a-z][a-z0-9_]{0,49}$/;

export const CaptureTarget = z
  .strictObject({ entity: CaptureEntity, field: z.string().max(60) })
  .refine((t) => CUSTOM_FIELD.test(t.field) || CAPTURE_FIELDS[t.entity].includes(t.field), {
    message: "not a field a script may write (a standard field of the entity or fields.<key>)",
    path: ["field"],
  });
export type CaptureTarget = z.infer<typeof CaptureTarget>;

/** Knowledge-base articles the agent may open from a node. */
const ArticleIds = z.array(z.uuid()).max(10).optional();

const base = { id: NodeId, title: z.string().trim().max(200).optional(), articleIds: ArticleIds };

export const SayNode = z.strictObject({ ...base, type: z.literal("say"), text: Text(4000), next: NodeId });
export const Answer = z.strictObject({
  /** Unique within its question; what a run records. */
  id: NodeId,
  label: Text(200),
  next: NodeId,
});
export type Answer = z.infer<typeof Answer>;
export const QuestionNode = z.strictObject({
  ...base,
  type: z.literal("question"),
  text: Text(4000),
  answers: z.array(Answer).min(1).max(20),
});
export const CaptureNode = z.strictObject({
  ...base,
  type: z.literal("capture"),
  /** What the agent asks for: «Какой у вас бюджет?». */
  text: Text(4000),
  target: CaptureTarget,
  /** Suggested values the agent can pick; free input is accepted too. */
  options: z.array(Text(200)).max(50).optional(),
  /** The agent may go on without a value. */
  isOptional: z.boolean().optional(),
  next: NodeId,
});
export const JumpNode = z.strictObject({ ...base, type: z.literal("jump"), target: NodeId });
export const Outcome = z.enum(["success", "callback", "refused", "not_target", "other"]);
export type Outcome = z.infer<typeof Outcome>;
export const EndNode = z.strictObject({
  ...base,
  type: z.literal("end"),
  outcome: Outcome,
  text: z.string().trim().max(4000).optional(),
});

export const ScriptNode = z.discriminatedUnion("type", [
  SayNode,
  QuestionNode,
  CaptureNode,
  JumpNode,
  EndNode,
]);
export type ScriptNode = z.infer<typeof ScriptNode>;
export type NodeOf<T extends ScriptNode["type"]> = Extract<ScriptNode, { type: T }>;

/** The graph as stored in a version (immutable once published) and in a draft. */
export const ScriptGraph = z.strictObject({
  start: NodeId,
  nodes: z.array(ScriptNode).min(1).max(500),
});
export type ScriptGraph = z.infer<typeof ScriptGraph>;

/** Where a node sends the run: every outgoing link with a label for problems. */
export function linksOf(node: ScriptNode): { to: string; via: string }[] {
  switch (node.type) {
    case "say":
    case "capture":
      return [{ to: node.next, via: "next" }];
    case "question":
      return node.answers.map((a) => ({ to: a.next, via: `answers.${a.id}` }));
    case "jump":
      return [{ to: node.target, via: "target" }];
    case "end":
      return [];
  }
}

/** Texts of a node that may hold placeholders. */
export function textsOf(node: ScriptNode): string[] {
  switch (node.type) {
    case "say":
    case "question":
    case "capture":
      return [node.text];
    case "end":
      return node.text ? [node.text] : [];
    case "jump":
      return [];
  }
}
