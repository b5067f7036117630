import type { ByteRange } from "./store.ts";

/**
 * What a `Range` header asks of a file of `size` bytes (RFC 9110 §14.1.2):
 *   none          no header, another unit, or several ranges (we answer those with the whole file,
 *                 which the RFC allows; players ask for one range at a time)
 *   range         one satisfiable range, clipped to the file: `bytes=0-99`, `bytes=100-`, `bytes=-100`
 *   unsatisfiable a malformed `bytes=` spec, a start beyond the end, or an empty suffix: 416
 */
export type RangeRequest = { kind: "none" } | { kind: "range"; range: ByteRange } | { kind: "unsatisfiable" };

const SPEC = /^(\d*)-(\d*)$/;

export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (header === undefined) {
    return { kind: "none" };
  }
  const [unit, specs = ""] = header.split("=", 2).map((part) => part.trim());
  if (unit?.toLowerCase() !== "bytes") {
    return { kind: "none" };
  }
  if (specs.includes(",")) {
    return { kind: "none" };
  }
  const match = SPEC.exec(specs);
  if (!match || (match[1] === "" && match[2] === "")) {
    return { kind: "unsatisfiable" };
  }
  const [, first = "", last = ""] = match;
  if (first === "") {
    // A suffix: the last N bytes (all of them when the file is shorter).
    const length = Number(last);
    return length === 0 || size === 0
      ? { kind: "unsatisfiable" }
      : { kind: "range", range: { start: Math.max(0, size - length), end: size - 1 } };
  }
  const start = Number(first);
  const end = last === "" ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || (last !== "" && Number(last) < start)) {
    return { kind: "unsatisfiable" };
  }
  return { kind: "range", range: { start, end } };
}
