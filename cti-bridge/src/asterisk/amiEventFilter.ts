/*
 * manager.conf `eventfilter` as Asterisk applies it (docs.asterisk.org "AMI Event Filtering"; advanced
 * filters since Asterisk 20.10/21.5/22.0, asterisk/asterisk#874): with include filters an event must
 * match one of them; then any matching exclude filter drops it. Legacy filters are a regex over the
 * whole event text, excluding when prefixed with "!".
 */

export type EventFilter = {
  action: "include" | "exclude";
  name: string | null;
  header: string | null;
  method: "regex" | "exact" | "starts_with" | "ends_with" | "contains" | "none";
  expression: string;
};

const METHODS = ["regex", "exact", "starts_with", "ends_with", "contains", "none"] as const;

/** One manager.conf entry: key "eventfilter" (legacy) or "eventfilter(action(…),name(…),…)". */
export function parseEventFilter(key: string, value: string): EventFilter {
  if (key === "eventfilter") {
    const isExclude = value.startsWith("!");
    const expression = isExclude ? value.slice(1) : value;
    return {
      action: isExclude ? "exclude" : "include",
      name: null,
      header: null,
      method: "regex",
      expression,
    };
  }
  const criteria = /^eventfilter\((.*)\)$/.exec(key)?.[1];
  if (criteria === undefined) {
    throw new Error(`not an event filter: ${key}`);
  }
  const filter: EventFilter = {
    action: "include",
    name: null,
    header: null,
    method: "none",
    expression: value,
  };
  for (const criterion of criteria.match(/\w+\([^)]*\)/g) ?? []) {
    const [, kind, arg = ""] = /^(\w+)\(([^)]*)\)$/.exec(criterion) ?? [];
    if (kind === "action" && (arg === "include" || arg === "exclude")) {
      filter.action = arg;
    } else if (kind === "name") {
      filter.name = arg;
    } else if (kind === "header") {
      filter.header = arg;
    } else if (kind === "method" && (METHODS as readonly string[]).includes(arg)) {
      filter.method = arg as EventFilter["method"];
    } else {
      throw new Error(`unknown event filter criterion ${criterion}`);
    }
  }
  return filter;
}

/** An AMI event as header → value, "Event" first. */
export type AmiEventSample = Record<string, string>;

function matchesText(method: EventFilter["method"], expression: string, text: string): boolean {
  switch (method) {
    case "none":
      return true;
    case "regex":
      return new RegExp(expression).test(text);
    case "exact":
      return text === expression;
    case "starts_with":
      return text.startsWith(expression);
    case "ends_with":
      return text.endsWith(expression);
    case "contains":
      return text.includes(expression);
  }
}

function matches(filter: EventFilter, event: AmiEventSample): boolean {
  if (filter.name !== null && event.Event !== filter.name) {
    return false;
  }
  if (filter.header !== null) {
    const value = event[filter.header];
    return value !== undefined && matchesText(filter.method, filter.expression, value);
  }
  const payload = Object.entries(event)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  return matchesText(filter.method, filter.expression, payload);
}

/** Whether Asterisk sends this event to a session with these filters. */
export function passesEventFilters(filters: readonly EventFilter[], event: AmiEventSample): boolean {
  const includes = filters.filter((f) => f.action === "include");
  const excludes = filters.filter((f) => f.action === "exclude");
  if (includes.length > 0 && !includes.some((f) => matches(f, event))) {
    return false;
  }
  return !excludes.some((f) => matches(f, event));
}
