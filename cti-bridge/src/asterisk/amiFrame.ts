/**
 * AMI wire format: "Key: value" lines ending in CRLF, a blank line ending each message
 * (docs.asterisk.org, "AMI v2 Specification"). The parser is fed raw TCP chunks, which may split a
 * message (or a UTF-8 character) anywhere or carry several messages at once.
 */

/** One AMI message: header → value; a header repeated in one message (ChanVariable, Output) keeps every value in order. */
export type AmiFrame = Record<string, string | string[]>;

export type FrameParserStats = {
  frames: number;
  /** Lines that are not "Key: value" (binary, noise); dropped, the message around them is kept. */
  garbageLines: number;
  /** Messages with neither Event nor Response; dropped. */
  malformedFrames: number;
  /** Lines longer than the limit; dropped up to their end. */
  oversizedLines: number;
};

export type FrameParserOptions = {
  onFrame: (frame: AmiFrame) => void;
  onBanner?: (banner: string) => void;
  onGarbage?: (reason: string, sample: string) => void;
  /** Shared counters, so a client can keep totals over several connections. */
  stats?: FrameParserStats;
  maxLineBytes?: number;
  /** Headers of which a message needs one; a client reads Event/Response, a server reads Action. */
  kinds?: string[];
};

export type FrameParser = { push: (chunk: Buffer) => void; stats: FrameParserStats };

export function createFrameParserStats(): FrameParserStats {
  return { frames: 0, garbageLines: 0, malformedFrames: 0, oversizedLines: 0 };
}

const LF = 0x0a;
const CR = 0x0d;
// Header names are words with '-' (Cause-txt) and, in Asterisk ≤ 11, "ChanVariable(PJSIP/101-0001)".
const HEADER_NAME = /^[A-Za-z][\w\-()/.@;]{0,99}$/;
// The capture starts "Asterisk Call Manager/11.0.0\r\n" with no blank line after it (fixtures README).
const BANNER = /^Asterisk Call Manager\/[\w.]+$/;
const MAX_HEADERS = 10_000;

export function createFrameParser(options: FrameParserOptions): FrameParser {
  const stats = options.stats ?? createFrameParserStats();
  const maxLine = options.maxLineBytes ?? 64 * 1024;
  const kinds = options.kinds ?? ["Event", "Response"];
  let rest: Buffer = Buffer.alloc(0);
  let isSkippingLongLine = false;
  let frame: AmiFrame = {};
  let headerCount = 0;

  function reportGarbage(reason: string, sample: string): void {
    options.onGarbage?.(reason, JSON.stringify(sample.slice(0, 80)));
  }

  function addHeader(name: string, value: string): void {
    const existing = frame[name];
    if (existing === undefined) {
      frame[name] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      frame[name] = [existing, value];
    }
    headerCount += 1;
  }

  function endFrame(): void {
    if (headerCount === 0) {
      return; // extra blank lines between messages
    }
    const done = frame;
    frame = {};
    headerCount = 0;
    if (kinds.some((kind) => typeof done[kind] === "string")) {
      stats.frames += 1;
      options.onFrame(done);
    } else {
      stats.malformedFrames += 1;
      reportGarbage(`message without ${kinds.join(" or ")}`, Object.keys(done).join(","));
    }
  }

  function handleLine(line: string): void {
    if (line.length === 0) {
      endFrame();
      return;
    }
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon) : "";
    if (HEADER_NAME.test(name) && headerCount < MAX_HEADERS) {
      // Exactly one space follows the colon; values may start with more (RTPAUDIOQOSLOSS "  minrxlost=…").
      const value = line.charCodeAt(colon + 1) === 0x20 ? line.slice(colon + 2) : line.slice(colon + 1);
      addHeader(name, value);
      return;
    }
    if (headerCount === 0 && BANNER.test(line)) {
      options.onBanner?.(line);
      return;
    }
    stats.garbageLines += 1;
    reportGarbage("line is not a header", line);
  }

  function push(chunk: Buffer): void {
    const buf = rest.length === 0 ? chunk : Buffer.concat([rest, chunk]);
    let start = 0;
    for (let nl = buf.indexOf(LF, start); nl !== -1; nl = buf.indexOf(LF, start)) {
      // Asterisk ends lines with CRLF; a bare LF is accepted too. Decoding whole lines keeps a UTF-8
      // character that was split between two chunks intact.
      const end = nl > start && buf[nl - 1] === CR ? nl - 1 : nl;
      if (isSkippingLongLine) {
        isSkippingLongLine = false;
      } else if (end - start > maxLine) {
        // The same limit whether the long line came in pieces (below) or whole in one chunk.
        stats.oversizedLines += 1;
        reportGarbage("line too long", buf.toString("latin1", start, start + 80));
      } else {
        handleLine(buf.toString("utf8", start, end));
      }
      start = nl + 1;
    }
    rest = start >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(start));
    if (rest.length > maxLine) {
      stats.oversizedLines += 1;
      reportGarbage("line too long", rest.toString("latin1", 0, 80));
      rest = Buffer.alloc(0);
      isSkippingLongLine = true;
    }
  }

  return { push, stats };
}

/** The first value of a header (or undefined): most headers occur once. */
export function headerOf(frame: AmiFrame, name: string): string | undefined {
  const value = frame[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Every value of a header, in the order received. */
export function headersOf(frame: AmiFrame, name: string): string[] {
  const value = frame[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Serialises an action or a response: "Key: value" CRLF lines and a blank line. */
export function formatFrame(frame: Record<string, string | string[] | undefined>): string {
  let text = "";
  for (const [name, value] of Object.entries(frame)) {
    if (value === undefined) {
      continue;
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (/[\r\n]/.test(name) || /[\r\n]/.test(item)) {
        // A CR or LF would let a value inject headers or whole actions into the stream.
        throw new Error(`AMI header ${name} contains a line break`);
      }
      text += `${name}: ${item}\r\n`;
    }
  }
  return `${text}\r\n`;
}
