/**
 * Knowledge-base search text helpers: what crm-api needs to turn a typed query into a PostgreSQL tsquery
 * made of lexemes it found in the articles' vocabulary (stems, variants and near-misses of each word).
 */

/** At most this many words of a query count; the rest is noise for a KB search. */
export const MAX_QUERY_WORDS = 8;
const MAX_WORD_LENGTH = 40;

/** The query's words: letters and digits, lower-cased, ё as е (the articles are indexed the same way). */
export function searchWords(query: string): string[] {
  const words =
    query
      .toLowerCase()
      .replaceAll("ё", "е")
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length <= MAX_WORD_LENGTH))].slice(0, MAX_QUERY_WORDS);
}

/** A lexeme as a quoted tsquery operand: quotes doubled, backslashes escaped. */
export function quoteLexeme(lexeme: string): string {
  return `'${lexeme.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/**
 * `(a | b) & (c | d)`: every word must match, each through any of its lexemes. Empty groups (stop words)
 * are left out; null when nothing is left to search for.
 */
export function tsqueryOf(groups: readonly (readonly string[])[]): string | null {
  const parts = groups
    .filter((g) => g.length > 0)
    .map((g) => `(${[...new Set(g)].map(quoteLexeme).join(" | ")})`);
  return parts.length > 0 ? parts.join(" & ") : null;
}
