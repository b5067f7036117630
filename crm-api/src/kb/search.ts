import type { KbSearchHit, KbSearchQuery } from "@okno/contracts";
import { searchWords, tsqueryOf } from "@okno/scripts-kb";
import type { Knex } from "knex";
import type { Principal } from "../auth/principal.ts";
import { whereReadable } from "./access.ts";

/** A vocabulary lexeme this close to a query word's stem (trigram similarity) stands in for it. */
const MIN_SIMILARITY = 0.4;
/** Lexemes per query word: the closest few, so one short word cannot match half the vocabulary. */
const VARIANTS_PER_WORD = 6;

/** The article body as the index sees it, HTML-escaped: ts_headline then adds the only markup, <mark>. */
const SNIPPET_SOURCE = `replace(replace(replace(
  translate(regexp_replace(a.body_md, '[#*_\`~|\\[\\]]+', ' ', 'g'), 'Ёё', 'Ее'),
  '&', '&amp;'), '<', '&lt;'), '>', '&gt;')`;
const HEADLINE_OPTIONS =
  'StartSel=<mark>, StopSel=</mark>, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "';

interface Expansion {
  i: number;
  stem: string | null;
  lexeme: string | null;
}

/**
 * For each query word: its stem under the 'russian' configuration, and the vocabulary lexemes equal or
 * similar to it. Similarity catches what Snowball leaves apart (звонок → звонок, звонки → звонк) and one
 * typo (дговор ~ договор), through the trigram index on kb_lexemes.
 */
async function expandWords(db: Knex, words: string[]): Promise<{ exact: string[][]; variants: string[][] }> {
  const { rows } = await db.raw<{ rows: Expansion[] }>(
    `select q.i::int as i, s.stem, v.lexeme
       from unnest(string_to_array(?, ' ')) with ordinality as q(word, i)
       cross join lateral (select (select lexeme from unnest(to_tsvector('russian', q.word)) limit 1) as stem) s
       left join lateral (
         select lexeme from kb_lexemes
          where lexeme = s.stem
             or (length(s.stem) >= 3 and lexeme % s.stem and similarity(lexeme, s.stem) >= ?)
          order by similarity(lexeme, s.stem) desc, lexeme
          limit ?) v on true`,
    // Words are letters and digits only (searchWords), so a space separates them safely.
    [words.join(" "), MIN_SIMILARITY, VARIANTS_PER_WORD],
  );
  const exact = words.map(() => [] as string[]);
  const variants = words.map(() => [] as string[]);
  for (const row of rows) {
    // Stop words («и», «на») have no stem and drop out, as in plainto_tsquery.
    if (row.stem !== null) {
      exact[row.i - 1] = [row.stem];
      variants[row.i - 1]!.push(row.stem, ...(row.lexeme ? [row.lexeme] : []));
    }
  }
  return { exact, variants };
}

/**
 * Russian full-text search over the articles the user may read: every word must match in some form.
 * Order: hits on the words' own stems before typo and variant hits, then title matches before body
 * matches, then ts_rank (title words weigh A, body words B).
 */
export async function searchArticles(db: Knex, p: Principal, query: KbSearchQuery): Promise<KbSearchHit[]> {
  const words = searchWords(query.q);
  const { exact, variants } = await expandWords(db, words);
  const tsquery = tsqueryOf(variants);
  if (!tsquery) {
    return [];
  }
  const exactQuery = tsqueryOf(exact) ?? tsquery;
  const matches = whereReadable(
    db("kb_articles as a")
      .select(
        "a.id",
        "a.title",
        "a.category_id",
        "a.body_md",
        "a.updated_at",
        db.raw("ts_filter(a.tsv, '{a}') @@ ?::tsquery as is_title_match", [tsquery]),
        db.raw("a.tsv @@ ?::tsquery as is_exact", [exactQuery]),
        db.raw("ts_rank(a.tsv, ?::tsquery) as rank", [tsquery]),
      )
      .whereRaw("a.tsv @@ ?::tsquery", [tsquery]),
    p,
  )
    .orderBy([
      { column: "is_exact", order: "desc" },
      { column: "is_title_match", order: "desc" },
      { column: "rank", order: "desc" },
      { column: "a.updated_at", order: "desc" },
      { column: "a.id" },
    ])
    .limit(query.limit);
  // Headlines are costly: made only for the page of hits, outside the sorted subquery.
  const rows = await db
    .from(matches.as("a"))
    .select<
      {
        id: string;
        title: string;
        category_id: string | null;
        is_title_match: boolean;
        rank: number;
        snippet: string;
      }[]
    >(
      "a.id",
      "a.title",
      "a.category_id",
      "a.is_title_match",
      "a.rank",
      db.raw(`ts_headline('russian', ${SNIPPET_SOURCE}, ?::tsquery, ?) as snippet`, [
        tsquery,
        HEADLINE_OPTIONS,
      ]),
    )
    .orderBy([
      { column: "a.is_exact", order: "desc" },
      { column: "a.is_title_match", order: "desc" },
      { column: "a.rank", order: "desc" },
      { column: "a.updated_at", order: "desc" },
      { column: "a.id" },
    ]);
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    categoryId: r.category_id,
    snippet: r.snippet,
    isTitleMatch: r.is_title_match,
    rank: Number(r.rank),
  }));
}
