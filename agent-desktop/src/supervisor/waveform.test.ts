import { describe, expect, it } from "vitest";
import { statusOf } from "./waveform.ts";

describe("statusOf", () => {
  it("reads the HTTP status from wavesurfer's fetch error", () => {
    expect(statusOf("Failed to fetch /api/v1/recordings/3a3a: 403 (Forbidden)")).toBe(403);
    expect(statusOf("Failed to fetch /api/v1/recordings/3a3a: 404 ()")).toBe(404);
  });

  it("gives null for a decoding or media error, which has no status", () => {
    expect(statusOf("EncodingError: Unable to decode audio data")).toBeNull();
  });
});
