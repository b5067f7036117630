import type { FastifyInstance } from "fastify";
import { badRequest } from "./errors.ts";

const MAX_DEPTH = 32;
const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Deepest nesting of objects and arrays in JSON text, found without parsing (so without recursion). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) {
        i += 1; // skip the escaped character
      } else if (ch === 0x22) {
        inString = false;
      }
    } else if (ch === 0x22) {
      inString = true;
    } else if (ch === 0x7b || ch === 0x5b) {
      depth += 1;
      max = Math.max(max, depth);
    } else if (ch === 0x7d || ch === 0x5d) {
      depth -= 1;
    }
  }
  return max;
}

/**
 * Rejects request bodies that no form or integration sends but that would break or poison storage:
 * NUL characters (PostgreSQL text cannot hold them: the insert would fail with a 500) and nesting deeper than
 * MAX_DEPTH (our widest schema is 4 levels deep). Walks iteratively, so a hostile depth cannot overflow the stack.
 */
export function findHostileValue(body: unknown): string | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: body, path: "body", depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (value.includes("\u0000")) {
        return `${path}: contains a NUL character`;
      }
    } else if (value !== null && typeof value === "object" && !ArrayBuffer.isView(value)) {
      // Binary uploads (Buffers from raw-body routes) are data, not structure: nothing to walk.
      if (depth >= MAX_DEPTH) {
        return `${path}: nested deeper than ${MAX_DEPTH} levels`;
      }
      for (const [key, child] of Object.entries(value)) {
        if (key.includes("\u0000")) {
          return `${path}: a key contains a NUL character`;
        }
        stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return null;
}

/**
 * JSON bodies must be valid UTF-8 (a windows-1251 file posted as UTF-8 would otherwise be stored as "\uFFFD"
 * garbage) and shallow enough to parse: Node's JSON parsing recurses, and a few thousand levels of nesting
 * overflow the stack. Both are refused with 400 before parsing; the rest is Fastify's own parser, which also
 * refuses __proto__ / constructor poisoning.
 */
function registerStrictJsonParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (req, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      done(badRequest("the body is not valid UTF-8", { body: "not valid UTF-8" }), undefined);
      return;
    }
    if (jsonDepth(text) > MAX_DEPTH) {
      done(
        badRequest(`body: nested deeper than ${MAX_DEPTH} levels`, { body: "nested too deeply" }),
        undefined,
      );
      return;
    }
    // Fastify's default parser reports through `done`; its return value carries nothing.
    void parseJson(req, text, done);
  });
}

export function registerHostileInputGuard(app: FastifyInstance): void {
  registerStrictJsonParser(app);
  app.addHook("preValidation", async (req) => {
    const problem = findHostileValue(req.body);
    if (problem) {
      const [field, reason] = problem.split(": ");
      throw badRequest(problem, { [field!]: reason! });
    }
    for (const [key, value] of Object.entries(req.query as Record<string, unknown>)) {
      if (typeof value === "string" && value.includes("\u0000")) {
        throw badRequest(`querystring.${key}: contains a NUL character`, {
          [`querystring.${key}`]: "contains a NUL character",
        });
      }
    }
  });
  // Responses are JSON data, never documents: browsers must not sniff stored text into HTML.
  app.addHook("onSend", async (_req, reply) => {
    void reply.header("x-content-type-options", "nosniff");
  });
}
