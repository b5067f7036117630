import { SourceList } from "@okno/contracts";
import { api } from "../api.ts";

/** A marketing source an agent may pick (Яндекс.Директ, Авито, сарафан…). */
export interface SourceOption {
  id: string;
  name: string;
}

let cached: Promise<SourceOption[]> | undefined;

/**
 * The active sources (GET /sources?active=true), once per page load. Without the list (a network
 * failure) the forms only confirm the call's own source, so an empty list is a valid answer rather than
 * an error to show; the next form asks again.
 */
export function loadSources(): Promise<SourceOption[]> {
  cached ??= api("GET", "/sources?active=true", { schema: SourceList, quiet: true })
    .then((list) => list.items.map(({ id, name }) => ({ id, name })))
    .catch(() => {
      cached = undefined;
      return [];
    });
  return cached;
}
