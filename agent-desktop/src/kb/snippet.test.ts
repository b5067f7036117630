import { describe, expect, it } from "vitest";
import { parseSnippet } from "./snippet.ts";

describe("parseSnippet", () => {
  it("splits the text into marked and plain segments", () => {
    expect(parseSnippet("Доставка <mark>бесплатно</mark> от 50 000 ₽")).toEqual([
      { text: "Доставка ", isMatch: false },
      { text: "бесплатно", isMatch: true },
      { text: " от 50 000 ₽", isMatch: false },
    ]);
  });

  it("turns escaped markup back into text and never into tags", () => {
    expect(parseSnippet("&lt;img src=x onerror=alert(1)&gt; &amp; <mark>рассрочка</mark>")).toEqual([
      { text: "<img src=x onerror=alert(1)> & ", isMatch: false },
      { text: "рассрочка", isMatch: true },
    ]);
  });

  it("keeps a double-escaped entity as the text the article holds", () => {
    expect(parseSnippet("&amp;lt;b&amp;gt;")).toEqual([{ text: "&lt;b&gt;", isMatch: false }]);
  });
});
