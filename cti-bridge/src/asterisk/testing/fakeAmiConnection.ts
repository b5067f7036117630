import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { createFrameParser, formatFrame, headerOf, type AmiFrame } from "../amiFrame.ts";
import { snapshotOf } from "./captures.ts";
import {
  answerAction,
  scheduleFrames,
  seededRandom,
  type ConnectionScript,
  type FakeAmiServerOptions,
} from "./fakeAmiServer.ts";

/**
 * One AMI session of the fake server. Actions are answered only between replayed frames, and the
 * snapshot an answer reports includes every frame sent before it: Asterisk flushes the events it queued
 * ahead of an action's answer, so nothing on the wire before the answer is missing from it.
 */
export function serveConnection(
  socket: Socket,
  script: ConnectionScript,
  options: FakeAmiServerOptions,
  actions: AmiFrame[],
  onReplayDone: () => void,
): void {
  socket.setNoDelay(true);
  const sources = script.replay ?? [];
  const sent: Buffer[] = sources.flatMap((source) => source.capture.frames.slice(0, source.fromFrame ?? 0));
  const snapshot = () => script.snapshot ?? snapshotOf(sent);
  const pending: AmiFrame[] = [];
  let isMidFrame = false;
  let isReplayStarted = false;
  const reply = (frame: AmiFrame) => socket.write(formatFrame(frame));

  function handleAction(action: AmiFrame): void {
    actions.push(action);
    const name = headerOf(action, "Action")?.toLowerCase() ?? "";
    const id = headerOf(action, "ActionID") ?? "";
    if (script.onAction?.(action, reply)) {
      return;
    }
    if (name === "login") {
      const isValid =
        headerOf(action, "Username") === (options.username ?? "crm") &&
        headerOf(action, "Secret") === (options.secret ?? "secret");
      reply({
        Response: isValid ? "Success" : "Error",
        ActionID: id,
        Message: `Authentication ${isValid ? "accepted" : "failed"}`,
      });
      if (!isValid) {
        socket.end(); // Asterisk drops the session after a failed login
      } else if (!script.replayAfter) {
        startReplay();
      }
      return;
    }
    if (name === "logoff") {
      reply({ Response: "Goodbye", ActionID: id, Message: "Thanks for all the fish." });
      socket.end();
      return;
    }
    (
      answerAction(action, snapshot) ?? [
        { Response: "Error", ActionID: id, Message: "Invalid/unknown command" },
      ]
    ).forEach(reply);
    const after = script.replayAfter;
    if (typeof after === "function" ? after(action) : after?.toLowerCase() === name) {
      startReplay();
    }
  }

  function handleActions(): void {
    while (!isMidFrame && pending.length > 0 && socket.writable) {
      handleAction(pending.shift() as AmiFrame);
    }
  }

  async function writeFrame(bytes: Buffer, written: number, random: () => number): Promise<number> {
    isMidFrame = true;
    let at = 0;
    while (at < bytes.length) {
      const size = script.chunks
        ? script.chunks.min + Math.floor(random() * (script.chunks.max - script.chunks.min + 1))
        : bytes.length;
      const end = Math.min(bytes.length, at + size, at + (script.dropAtByte ?? Infinity) - (written + at));
      if (end <= at || !socket.writable) {
        // The drop, inside the frame when the offset says so; end() still delivers the bytes already
        // written (destroy() would discard what is queued, and the client would see a shorter stream).
        socket.end();
        return -1;
      }
      if (!socket.write(bytes.subarray(at, end))) {
        await new Promise((resolve) => socket.once("drain", resolve));
      }
      at = end;
      if (script.chunks) {
        await new Promise((resolve) => setImmediate(resolve)); // separate TCP writes
      }
    }
    sent.push(bytes);
    isMidFrame = false;
    handleActions();
    return written + bytes.length;
  }

  async function replay(): Promise<void> {
    let written = 0;
    let clock = 0;
    const random = seededRandom(script.chunks?.seed ?? 1);
    for (const { atMs, bytes } of scheduleFrames(sources)) {
      if (script.isRealTime && atMs > clock) {
        await sleep(atMs - clock);
        clock = atMs;
      }
      written = await writeFrame(bytes, written, random);
      if (written < 0) {
        return;
      }
    }
    if (written >= (script.dropAtByte ?? Infinity)) {
      socket.end();
    }
  }

  function startReplay(): void {
    if (!isReplayStarted) {
      isReplayStarted = true;
      void replay().finally(onReplayDone);
    }
  }

  const parser = createFrameParser({
    kinds: ["Action"],
    onFrame: (action) => {
      pending.push(action);
      handleActions();
    },
  });
  socket.on("data", (chunk: Buffer) => parser.push(chunk));
  // The banner has no blank line after it (fixtures README).
  socket.write(`${options.banner ?? "Asterisk Call Manager/11.0.0"}\r\n`);
  if (!script.replay) {
    onReplayDone();
  }
}
