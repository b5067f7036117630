import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createFrameParser, formatFrame, type AmiFrame, type FrameParserStats } from "./amiFrame.ts";
import { loadCapture } from "./testing/captures.ts";

function parse(chunks: (string | Buffer)[]): {
  frames: AmiFrame[];
  banners: string[];
  stats: FrameParserStats;
} {
  const frames: AmiFrame[] = [];
  const banners: string[] = [];
  const parser = createFrameParser({
    onFrame: (frame) => frames.push(frame),
    onBanner: (b) => banners.push(b),
  });
  chunks.forEach((chunk) => parser.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk));
  return { frames, banners, stats: parser.stats };
}

const HANGUP = "Event: Hangup\r\nChannel: PJSIP/101-00000001\r\nUniqueid: 1.1\r\nCause: 16\r\n\r\n";
const NEWSTATE = "Event: Newstate\r\nChannel: PJSIP/102-00000002\r\nChannelStateDesc: Ringing\r\n\r\n";

describe("the AMI frame parser", () => {
  it("reads the banner, which has no blank line after it, apart from the login response", () => {
    const { frames, banners } = parse([
      "Asterisk Call Manager/11.0.0\r\nResponse: Success\r\nActionID: a1\r\nMessage: Authentication accepted\r\n\r\n",
    ]);
    expect(banners).toEqual(["Asterisk Call Manager/11.0.0"]);
    expect(frames).toEqual([{ Response: "Success", ActionID: "a1", Message: "Authentication accepted" }]);
  });

  it("joins a frame split at any byte, and splits frames merged in one chunk", () => {
    const bytes = Buffer.from(HANGUP + NEWSTATE);
    const byteByByte = parse([...bytes].map((byte) => Buffer.from([byte])));
    const merged = parse([bytes]);
    expect(byteByByte.frames).toEqual(merged.frames);
    expect(merged.frames).toEqual([
      { Event: "Hangup", Channel: "PJSIP/101-00000001", Uniqueid: "1.1", Cause: "16" },
      { Event: "Newstate", Channel: "PJSIP/102-00000002", ChannelStateDesc: "Ringing" },
    ]);
  });

  it("keeps a character whose UTF-8 bytes arrive in two chunks", () => {
    const bytes = Buffer.from("Event: Newchannel\r\nCallerIDName: Иванов Пётр\r\n\r\n", "utf8");
    const cut = bytes.indexOf(Buffer.from("И")) + 1; // inside the two bytes of "И"
    const { frames } = parse([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(frames[0]?.CallerIDName).toBe("Иванов Пётр");
  });

  it("keeps every value of a repeated header, in order", () => {
    const { frames } = parse([
      "Event: Newchannel\r\nChanVariable: CRM_DID=74951234567\r\nChanVariable: CRM_SOURCE=main\r\nChanVariable: X=\r\n\r\n",
    ]);
    expect(frames[0]?.ChanVariable).toEqual(["CRM_DID=74951234567", "CRM_SOURCE=main", "X="]);
  });

  it("strips exactly one space after the colon and accepts empty values and bare LF", () => {
    const { frames } = parse(["Event: VarSet\nAccountCode: \nValue:   minrxlost=0\nTimestamp: 1:2\n\n"]);
    expect(frames[0]).toEqual({ Event: "VarSet", AccountCode: "", Value: "  minrxlost=0", Timestamp: "1:2" });
  });

  it("drops binary garbage lines, counts them, and keeps the message around them", () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x0a]);
    const { frames, stats } = parse([
      "Event: Hangup\r\nUniqueid: 1.1\r\n",
      garbage,
      "Cause: 16\r\n\r\n",
      "just noise\r\n\r\n",
      NEWSTATE,
    ]);
    expect(frames).toEqual([
      { Event: "Hangup", Uniqueid: "1.1", Cause: "16" },
      { Event: "Newstate", Channel: "PJSIP/102-00000002", ChannelStateDesc: "Ringing" },
    ]);
    expect(stats).toMatchObject({ frames: 2, garbageLines: 2, malformedFrames: 0 });
  });

  it("skips a message with neither Event nor Response", () => {
    const { frames, stats } = parse(["Channel: PJSIP/1\r\nUniqueid: 1.1\r\n\r\n", HANGUP]);
    expect(frames.map((frame) => frame.Event)).toEqual(["Hangup"]);
    expect(stats.malformedFrames).toBe(1);
  });

  it("drops a line longer than the limit and carries on", () => {
    const frames: AmiFrame[] = [];
    const parser = createFrameParser({ onFrame: (frame) => frames.push(frame), maxLineBytes: 64 });
    parser.push(Buffer.from(`Event: Big\r\nData: ${"x".repeat(100)}`));
    parser.push(Buffer.from(`${"y".repeat(100)}\r\nMore: 1\r\n\r\n${HANGUP}`));
    expect(frames).toEqual([{ Event: "Big", More: "1" }, expect.objectContaining({ Event: "Hangup" })]);
    expect(parser.stats.oversizedLines).toBeGreaterThan(0);
  });

  it("drops a line longer than the limit that arrives whole in one chunk", () => {
    const frames: AmiFrame[] = [];
    const parser = createFrameParser({ onFrame: (frame) => frames.push(frame), maxLineBytes: 64 });
    parser.push(Buffer.from(`Event: Big\r\nData: ${"x".repeat(100)}\r\nMore: 1\r\n\r\n${HANGUP}`));
    expect(frames).toEqual([{ Event: "Big", More: "1" }, expect.objectContaining({ Event: "Hangup" })]);
    expect(parser.stats.oversizedLines).toBe(1);
  });

  it("reads a real capture the same whatever the TCP chunks", () => {
    const bytes = Buffer.concat(loadCapture("inbound-blindxfer").frames);
    const whole = parse([bytes]).frames;
    expect(whole).toHaveLength(233);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        expect(parse(chunks).frames).toEqual(whole);
      }),
      { numRuns: 50 },
    );
  });
});

describe("formatFrame", () => {
  it("writes CRLF lines, repeats array headers and ends with a blank line", () => {
    expect(formatFrame({ Action: "Originate", Variable: ["A=1", "B=2"], Skip: undefined })).toBe(
      "Action: Originate\r\nVariable: A=1\r\nVariable: B=2\r\n\r\n",
    );
  });

  it("refuses a value with a line break, which would inject headers", () => {
    expect(() => formatFrame({ Action: "Getvar", Variable: "X\r\nAction: Hangup" })).toThrow(/line break/);
  });
});
