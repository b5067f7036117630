import { describe, expect, it } from "vitest";
import { completeInn, isValidInn, isValidKpp } from "./inn.ts";

describe("ИНН", () => {
  it("accepts real organisation and individual numbers", () => {
    expect(isValidInn("7707083893")).toBe(true); // ПАО Сбербанк
    expect(isValidInn("500100732259")).toBe(true);
  });

  it("rejects a wrong checksum, length or characters", () => {
    expect(isValidInn("7707083894")).toBe(false);
    expect(isValidInn("500100732258")).toBe(false);
    expect(isValidInn("77070838")).toBe(false);
    expect(isValidInn("77070838a3")).toBe(false);
  });

  it("completes prefixes into valid numbers", () => {
    expect(isValidInn(completeInn("770708389"))).toBe(true);
    expect(isValidInn(completeInn("5001007322"))).toBe(true);
  });

  it("checks КПП shape", () => {
    expect(isValidKpp("773601001")).toBe(true);
    expect(isValidKpp("7736AB001")).toBe(true);
    expect(isValidKpp("77360100")).toBe(false);
  });
});
