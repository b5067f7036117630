import { KbArticle, KbSearchResult } from "@okno/contracts";
import { api } from "../api.ts";

/** Quiet: the search box and the article show their own errors next to themselves. */
export function searchKb(q: string, signal: AbortSignal): Promise<KbSearchResult> {
  const query = new URLSearchParams({ q, limit: "20" });
  return api("GET", `/kb/search?${query.toString()}`, { schema: KbSearchResult, quiet: true, signal });
}

export function loadArticle(id: string, signal: AbortSignal): Promise<KbArticle> {
  return api("GET", `/kb/articles/${encodeURIComponent(id)}`, { schema: KbArticle, quiet: true, signal });
}
