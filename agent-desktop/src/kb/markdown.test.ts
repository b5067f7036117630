import { describe, expect, it } from "vitest";
import { parseInline, parseMarkdown } from "./markdown.ts";

describe("parseMarkdown", () => {
  it("reads headings, paragraphs and both kinds of list", () => {
    const md =
      "## Сроки\nДоставка — **бесплатно**.\nВторая строка\n\n- на лифте;\n- без лифта\n\n1. замер\n2. договор";
    expect(parseMarkdown(md)).toEqual([
      { kind: "heading", level: 2, content: [{ kind: "text", text: "Сроки" }] },
      {
        kind: "paragraph",
        lines: [
          [
            { kind: "text", text: "Доставка — " },
            { kind: "bold", text: "бесплатно" },
            { kind: "text", text: "." },
          ],
          [{ kind: "text", text: "Вторая строка" }],
        ],
      },
      {
        kind: "list",
        isOrdered: false,
        items: [[{ kind: "text", text: "на лифте;" }], [{ kind: "text", text: "без лифта" }]],
      },
      {
        kind: "list",
        isOrdered: true,
        items: [[{ kind: "text", text: "замер" }], [{ kind: "text", text: "договор" }]],
      },
    ]);
  });

  it("keeps a link only when it goes to the web, mail or a phone", () => {
    expect(parseInline("[сайт](https://uyut.example) и [клик](javascript:alert(1))")).toEqual([
      { kind: "link", text: "сайт", href: "https://uyut.example" },
      { kind: "text", text: " и " },
      { kind: "text", text: "клик" },
      { kind: "text", text: ")" },
    ]);
  });

  it("leaves raw HTML as text", () => {
    expect(parseMarkdown("<script>alert(1)</script>")).toEqual([
      { kind: "paragraph", lines: [[{ kind: "text", text: "<script>alert(1)</script>" }]] },
    ]);
  });

  it("does not read underscores inside words as italics", () => {
    expect(parseInline("поле measure_time_x и _важно_")).toEqual([
      { kind: "text", text: "поле measure_time_x и " },
      { kind: "italic", text: "важно" },
    ]);
  });
});
