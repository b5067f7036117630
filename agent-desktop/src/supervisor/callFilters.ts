import { CallDirection, CallLogQuery, EndCause, Id } from "@okno/contracts";
import dayjs from "dayjs";

/**
 * The journal's filters as the page's URL keeps them, so a link shows the same calls to a colleague:
 * `/supervisor/calls?agentId=…&from=2026-03-01&to=2026-03-05&direction=in&result=missed`. Days are
 * calendar dates in the viewer's time zone; `to` includes its whole day.
 */
export interface CallFilters {
  agentId?: string;
  /** YYYY-MM-DD */
  from?: string;
  /** YYYY-MM-DD, inclusive */
  to?: string;
  direction?: CallDirection;
  result?: EndCause;
  sourceId?: string;
}

export const FILTER_KEYS = ["agentId", "from", "to", "direction", "result", "sourceId"] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isDay(value: string): boolean {
  return DAY.test(value) && dayjs(value).format("YYYY-MM-DD") === value;
}

/** Reads the filters from a URL query; a value a hand-edited link got wrong is dropped, not sent. */
export function readFilters(search: URLSearchParams): CallFilters {
  const f: CallFilters = {};
  const get = (key: (typeof FILTER_KEYS)[number]) => search.get(key) ?? undefined;
  const agentId = Id.safeParse(get("agentId"));
  const sourceId = Id.safeParse(get("sourceId"));
  const direction = CallDirection.safeParse(get("direction"));
  const result = EndCause.safeParse(get("result"));
  const from = get("from");
  const to = get("to");
  if (agentId.success) {
    f.agentId = agentId.data;
  }
  if (from && isDay(from)) {
    f.from = from;
  }
  if (to && isDay(to)) {
    f.to = to;
  }
  if (direction.success) {
    f.direction = direction.data;
  }
  if (result.success) {
    f.result = result.data;
  }
  if (sourceId.success) {
    f.sourceId = sourceId.data;
  }
  return f;
}

/** The URL query for these filters, always in the same order (equal filters, equal links). */
export function writeFilters(f: CallFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = f[key];
    if (value) {
      params.set(key, value);
    }
  }
  return params;
}

/** The "to" day is before the "from" day: the journal would be empty for a reason the user should see. */
export function isRangeReversed(f: CallFilters): boolean {
  return f.from !== undefined && f.to !== undefined && f.to < f.from;
}

/**
 * GET /calls query for one page: the calendar days become instants at the viewer's midnights
 * (`to` is exclusive on the server, so it is the midnight after the chosen day).
 */
export function toCallLogQuery(f: CallFilters, limit: number, cursor?: string): URLSearchParams {
  const query: CallLogQuery = {
    limit,
    ...(cursor ? { cursor } : {}),
    ...(f.agentId ? { agentId: f.agentId } : {}),
    ...(f.from ? { from: dayjs(f.from).startOf("day").format() } : {}),
    ...(f.to ? { to: dayjs(f.to).add(1, "day").startOf("day").format() } : {}),
    ...(f.direction ? { direction: f.direction } : {}),
    ...(f.result ? { result: f.result } : {}),
    ...(f.sourceId ? { sourceId: f.sourceId } : {}),
  };
  // The contract checks what the server will: a mistake here fails loudly rather than as a 400 later.
  const checked = CallLogQuery.parse(query);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(checked)) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  return params;
}
