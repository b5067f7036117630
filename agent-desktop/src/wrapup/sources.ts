import { api, type Parser } from "../api.ts";

/** A marketing source an agent may pick (Яндекс.Директ, Авито, сарафан…). */
export interface SourceOption {
  id: string;
  name: string;
}

/*
 * @okno/contracts has no schema for the sources list yet (nor crm-api a GET /sources): this checks the
 * `{items: [{id, name}]}` shape every other list has, and is replaced by the contract's schema once it lands.
 */
const sourceList: Parser<SourceOption[]> = {
  parse(data) {
    const items = (data as { items?: unknown } | null)?.items;
    if (!Array.isArray(items)) {
      throw new Error("sources: no items");
    }
    return items.filter(
      (s): s is SourceOption =>
        typeof (s as SourceOption).id === "string" && typeof (s as SourceOption).name === "string",
    );
  },
};

let cached: Promise<SourceOption[]> | undefined;

/**
 * GET /sources, once per page load. Without the list (404 on an older crm-api) the forms only confirm
 * the call's own source, so an empty list is a valid answer rather than an error to show.
 */
export function loadSources(): Promise<SourceOption[]> {
  cached ??= api("GET", "/sources", { schema: sourceList, quiet: true }).catch(() => {
    cached = undefined;
    return [];
  });
  return cached;
}
