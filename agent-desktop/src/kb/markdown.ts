/**
 * A small Markdown reader for knowledge-base articles: headings, paragraphs, bullet and numbered lists,
 * rules, **bold**, *italic*, `code` and [links](https://…). It produces plain data that MarkdownView
 * renders as React elements, so no article text ever reaches the DOM as HTML. Anything it does not know
 * stays visible as text. (No package: the desktop's bundle budget, and articles use only these.)
 */
export type Inline =
  | { kind: "text"; text: string }
  | { kind: "bold" | "italic" | "code"; text: string }
  | { kind: "link"; text: string; href: string };

export type Block =
  | { kind: "heading"; level: 1 | 2 | 3 | 4; content: Inline[] }
  | { kind: "paragraph"; lines: Inline[][] }
  | { kind: "list"; isOrdered: boolean; items: Inline[][] }
  | { kind: "rule" };

/** Only these open from an article; `javascript:` and friends stay text. */
const SAFE_HREF = /^(https?:\/\/|mailto:|tel:)/i;

const INLINE =
  /\*\*(.+?)\*\*|__(.+?)__|\*([^*\s][^*]*?)\*|(?<![\p{L}\p{N}])_([^_\s][^_]*?)_(?![\p{L}\p{N}])|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)/gu;

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) {
      out.push({ kind: "text", text: text.slice(last, m.index) });
    }
    const [whole, bold1, bold2, italic1, italic2, code, label, href] = m;
    if (bold1 ?? bold2) {
      out.push({ kind: "bold", text: (bold1 ?? bold2)! });
    } else if (italic1 ?? italic2) {
      out.push({ kind: "italic", text: (italic1 ?? italic2)! });
    } else if (code) {
      out.push({ kind: "code", text: code });
    } else if (label && href && SAFE_HREF.test(href)) {
      out.push({ kind: "link", text: label, href });
    } else {
      out.push({ kind: "text", text: label ?? whole });
    }
    last = m.index + whole.length;
  }
  if (last < text.length) {
    out.push({ kind: "text", text: text.slice(last) });
  }
  return out;
}

const HEADING = /^(#{1,4})\s+(.*)$/;
const BULLET = /^\s*[-*+]\s+(.*)$/;
const NUMBERED = /^\s*\d+[.)]\s+(.*)$/;
const RULE = /^\s*(-{3,}|\*{3,}|_{3,})\s*$/;

export function parseMarkdown(md: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: Inline[][] | null = null;
  let list: Extract<Block, { kind: "list" }> | null = null;
  const close = () => {
    paragraph = null;
    list = null;
  };
  for (const line of md.replace(/\r\n?/g, "\n").split("\n")) {
    const heading = HEADING.exec(line);
    const bullet = BULLET.exec(line);
    const numbered = NUMBERED.exec(line);
    if (line.trim() === "") {
      close();
    } else if (RULE.test(line)) {
      close();
      blocks.push({ kind: "rule" });
    } else if (heading) {
      close();
      const level = heading[1]!.length as 1 | 2 | 3 | 4;
      blocks.push({ kind: "heading", level, content: parseInline(heading[2]!) });
    } else if (bullet || numbered) {
      const isOrdered = !bullet;
      if (!list || list.isOrdered !== isOrdered) {
        close();
        list = { kind: "list", isOrdered, items: [] };
        blocks.push(list);
      }
      list.items.push(parseInline((bullet ?? numbered)![1]!));
    } else if (paragraph) {
      paragraph.push(parseInline(line.trim()));
    } else {
      close();
      paragraph = [parseInline(line.trim())];
      blocks.push({ kind: "paragraph", lines: paragraph });
    }
  }
  return blocks;
}
