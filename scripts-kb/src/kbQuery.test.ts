import { describe, expect, it } from "vitest";
import { quoteLexeme, searchWords, tsqueryOf } from "./kbQuery.ts";

describe("kb query helpers", () => {
  it("splits a query into lower-case words, ё as е, without punctuation or repeats", () => {
    expect(searchWords("  Договор, ДОГОВОР; ёлка — 2025!")).toEqual(["договор", "елка", "2025"]);
    expect(searchWords("!!!")).toEqual([]);
  });

  it("quotes lexemes so that tsquery syntax in them is inert", () => {
    expect(quoteLexeme("it's")).toBe("'it''s'");
    expect(quoteLexeme("a\\b")).toBe("'a\\\\b'");
  });

  it("ORs a word's lexemes and ANDs the words, skipping empty groups", () => {
    expect(tsqueryOf([["звонк", "звонок"], [], ["договор"]])).toBe("('звонк' | 'звонок') & ('договор')");
    expect(tsqueryOf([[]])).toBeNull();
  });
});
