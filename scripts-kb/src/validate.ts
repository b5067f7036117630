import { z } from "zod";
import { isKnownPlaceholder, placeholdersOf } from "./render.ts";
import { ScriptGraph, linksOf, textsOf, type ScriptNode } from "./script.ts";

export const ProblemReason = z.enum([
  /** The node (or the script) does not have the shape the schema asks for. */
  "invalid_shape",
  "duplicate_node",
  "duplicate_answer",
  "missing_start",
  /** A link names a node that does not exist. */
  "dangling_link",
  /** No path from the start leads to the node. */
  "unreachable",
  /** From this node no path leads to an end: the run would loop or stop for ever. */
  "no_exit",
  "unknown_placeholder",
  /** Checked by crm-api on publish: a capture names a custom field that is not defined. */
  "unknown_field",
  /** Checked by crm-api on publish: a node links to an article that does not exist. */
  "unknown_article",
]);
export type ProblemReason = z.infer<typeof ProblemReason>;

/** One thing wrong with a script, tied to the node the editor should highlight (null: the script itself). */
export const ScriptProblem = z.object({
  nodeId: z.string().nullable(),
  reason: ProblemReason,
  message: z.string(),
});
export type ScriptProblem = z.infer<typeof ScriptProblem>;

export type ScriptValidation = { ok: true; script: ScriptGraph } | { ok: false; problems: ScriptProblem[] };

/** The id the raw input gives the node at `index`, when it gives one. */
function rawNodeId(input: unknown, index: unknown): string | null {
  const nodes = (input as { nodes?: unknown } | null)?.nodes;
  if (typeof index !== "number" || !Array.isArray(nodes)) {
    return null;
  }
  const id = (nodes[index] as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
}

function shapeProblems(input: unknown, error: z.ZodError): ScriptProblem[] {
  return error.issues.map((issue) => {
    const isNode = issue.path[0] === "nodes" && issue.path.length > 1;
    const where = issue.path.slice(isNode ? 2 : 0).join(".");
    return {
      nodeId: isNode ? rawNodeId(input, issue.path[1]) : null,
      reason: "invalid_shape" as const,
      message: where ? `${where}: ${issue.message}` : issue.message,
    };
  });
}

/** Every node reached by following links from `from` (the nodes that exist). */
function reach(from: string[], next: (id: string) => string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(...next(id));
    }
  }
  return seen;
}

function linkProblems(nodes: ScriptNode[], byId: Map<string, ScriptNode>): ScriptProblem[] {
  const problems: ScriptProblem[] = [];
  for (const node of nodes) {
    for (const link of linksOf(node)) {
      if (!byId.has(link.to)) {
        problems.push({
          nodeId: node.id,
          reason: "dangling_link",
          message: `${link.via} leads to «${link.to}», which does not exist`,
        });
      }
    }
    if (node.type === "question") {
      const seen = new Set<string>();
      for (const answer of node.answers) {
        if (seen.has(answer.id)) {
          problems.push({
            nodeId: node.id,
            reason: "duplicate_answer",
            message: `answer «${answer.id}» twice`,
          });
        }
        seen.add(answer.id);
      }
    }
    for (const path of textsOf(node).flatMap(placeholdersOf)) {
      if (!isKnownPlaceholder(path)) {
        problems.push({
          nodeId: node.id,
          reason: "unknown_placeholder",
          message: `{${path}}: placeholders start with contact, company, lead, deal or agent`,
        });
      }
    }
  }
  return problems;
}

function reachabilityProblems(graph: ScriptGraph, byId: Map<string, ScriptNode>): ScriptProblem[] {
  const targets = (id: string) => (byId.get(id) ? linksOf(byId.get(id)!).map((l) => l.to) : []);
  const reachable = reach([graph.start], targets);
  const sources = new Map<string, string[]>();
  for (const node of graph.nodes) {
    for (const link of linksOf(node)) {
      sources.set(link.to, [...(sources.get(link.to) ?? []), node.id]);
    }
  }
  const ends = graph.nodes.filter((n) => n.type === "end").map((n) => n.id);
  const canFinish = reach(ends, (id) => sources.get(id) ?? []);
  const problems: ScriptProblem[] = [];
  for (const node of graph.nodes) {
    if (!reachable.has(node.id)) {
      problems.push({ nodeId: node.id, reason: "unreachable", message: "no path from the start leads here" });
    } else if (!canFinish.has(node.id)) {
      problems.push({
        nodeId: node.id,
        reason: "no_exit",
        message: "no path from here reaches an end (a loop without an exit)",
      });
    }
  }
  return problems;
}

/**
 * Checks a script: first its shape (zod), then its graph. A script that passes can always be run: from
 * every node it reaches, some answers lead to an end (run.ts relies on this).
 */
export function validateScript(input: unknown): ScriptValidation {
  const parsed = ScriptGraph.safeParse(input);
  if (!parsed.success) {
    return { ok: false, problems: shapeProblems(input, parsed.error) };
  }
  const graph = parsed.data;
  const byId = new Map<string, ScriptNode>();
  const problems: ScriptProblem[] = [];
  for (const node of graph.nodes) {
    if (byId.has(node.id)) {
      problems.push({
        nodeId: node.id,
        reason: "duplicate_node",
        message: `two nodes are called «${node.id}»`,
      });
    }
    byId.set(node.id, node);
  }
  if (!byId.has(graph.start)) {
    problems.push({
      nodeId: null,
      reason: "missing_start",
      message: `start «${graph.start}» is not a node of the script`,
    });
  }
  problems.push(...linkProblems(graph.nodes, byId));
  // Reachability means something only once every link lands on a node.
  if (problems.length === 0) {
    problems.push(...reachabilityProblems(graph, byId));
  }
  return problems.length === 0 ? { ok: true, script: graph } : { ok: false, problems };
}
