import { describe, expect, it } from "vitest";
import { extractRemoteParty, parseNameAddr, toDialString } from "./remoteParty.ts";

const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    values[name];

describe("extractRemoteParty", () => {
  it("takes the number the PBX asserted over the caller's own From", () => {
    const party = extractRemoteParty(
      headers({
        "P-Asserted-Identity": '"Иван Петров" <sip:+79123456789@pbx.example.ru>',
        From: '"anonymous" <sip:anonymous@anonymous.invalid>;tag=abc',
      }),
    );
    expect(party).toEqual({ number: "+79123456789", displayName: "Иван Петров", pbxCallId: undefined });
  });

  it("reads a caller in the 8-format from From when nothing is asserted", () => {
    const party = extractRemoteParty(headers({ From: "<sip:89123456789@10.0.0.1;user=phone>;tag=x1" }));
    expect(party.number).toBe("89123456789");
    expect(party.displayName).toBeUndefined();
  });

  it("falls back to From when the asserted identity is anonymous", () => {
    const party = extractRemoteParty(
      headers({
        "P-Asserted-Identity": "<sip:anonymous@anonymous.invalid>",
        From: "Офис <sip:101@okno>;tag=1",
      }),
    );
    expect(party.number).toBe("101");
    expect(party.displayName).toBe("Офис");
  });

  it("links the leg to crm-api's call by X-Okno-Call-Id", () => {
    const party = extractRemoteParty(
      headers({ From: "<sip:102@okno>;tag=1", "X-Okno-Call-Id": " ast1:1700.12 " }),
    );
    expect(party.pbxCallId).toBe("ast1:1700.12");
  });

  it("decodes escaped display names and tel: URIs with parameters", () => {
    expect(parseNameAddr('"\\"ООО\\" Уют" <tel:+74951234567;phone-context=+7>')).toEqual({
      displayName: '"ООО" Уют',
      user: "+74951234567",
    });
    expect(parseNameAddr("%D0%9E%D0%BA%D0%BD%D0%BE <sip:8%20912@h>")).toEqual({
      displayName: "Окно",
      user: "8 912",
    });
  });

  it("gives an empty number when no header names a user", () => {
    expect(extractRemoteParty(headers({})).number).toBe("");
  });
});

describe("toDialString", () => {
  it("keeps the digits of a number typed the Russian way", () => {
    expect(toDialString("8 (912) 345-67-89")).toBe("89123456789");
    expect(toDialString(" +7 912 345-67-89 ")).toBe("+79123456789");
    expect(toDialString("102")).toBe("102");
  });

  it("refuses input with nothing to dial", () => {
    expect(toDialString("абв")).toBeUndefined();
    expect(toDialString("")).toBeUndefined();
  });
});
