/**
 * A search snippet as the server sends it: the article text HTML-escaped, matches wrapped in
 * `<mark>`…`</mark>`. The desktop never hands it to the DOM as HTML: it is split into plain-text segments,
 * each marked or not, and React renders them as text.
 */
export interface SnippetSegment {
  text: string;
  isMatch: boolean;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };

/** Undoes the server's escaping; any other `&…;` stays as typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, name: string) => ENTITIES[name] ?? "");
}

/** Splits on the mark tags only; anything else that looks like a tag is text (it was escaped anyway). */
export function parseSnippet(snippet: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let isMatch = false;
  for (const piece of snippet.split(/(<\/?mark>)/)) {
    if (piece === "<mark>") {
      isMatch = true;
    } else if (piece === "</mark>") {
      isMatch = false;
    } else if (piece !== "") {
      segments.push({ text: decodeEntities(piece), isMatch });
    }
  }
  return segments;
}
