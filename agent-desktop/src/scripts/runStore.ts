import {
  replay,
  start,
  step,
  type RunInput,
  type RunState,
  type ScriptRun,
  type ScriptVersion,
} from "@okno/scripts-kb";
import { create } from "zustand";
import { ApiError, describeError } from "../api.ts";
import { loadVersion, postScriptRun, resolveCallScript } from "./scriptApi.ts";

/**
 * The script runs on the agent's screen, one per call card (keyed like the card). The runner state is
 * scripts-kb's: the store only adds where the script came from and whether the run is saved.
 *
 *   resolving ──► none (no script assigned; the agent may pick one) ──choose──► ready
 *       │    └──► failed (resolve refused) ─────────────────────────choose──► ready
 *       └──► ready ──input/back/restart──► ready … ──ended or call ended──► save ──► saved | failed
 */
export type SaveStatus =
  | { kind: "idle" }
  | { kind: "saving" }
  | { kind: "saved"; run: ScriptRun }
  | { kind: "failed"; message: string };

export interface CallRun {
  interactionId: string | null;
  phase: "resolving" | "none" | "ready" | "failed";
  /** Why resolving or loading the chosen script failed. */
  error: string | null;
  version: ScriptVersion | null;
  /** The script came from an assignment (not picked by the agent). */
  isAssigned: boolean;
  state: RunState | null;
  save: SaveStatus;
  /** What the last successful save held, so that the same run is not posted twice. */
  savedFingerprint: string | null;
}

interface RunActions {
  /** Resolves the call's script once per card; later calls do nothing. */
  open: (key: string, callId: string | null, interactionId: string | null) => Promise<void>;
  /** The agent switches scripts: what they did in the current one is saved first. */
  choose: (key: string, versionId: string) => Promise<void>;
  input: (key: string, input: RunInput) => void;
  back: (key: string) => void;
  restart: (key: string) => void;
  /** Posts the run to the interaction (nothing when there is nothing new to post). */
  save: (key: string) => Promise<void>;
}

export type RunStore = { runs: Record<string, CallRun> } & RunActions;

const emptyRun = (interactionId: string | null): CallRun => ({
  interactionId,
  phase: "resolving",
  error: null,
  version: null,
  isAssigned: false,
  state: null,
  save: { kind: "idle" },
  savedFingerprint: null,
});

const reasonOf = (err: unknown) => (err instanceof ApiError ? describeError(err) : String(err));
const fingerprintOf = (run: CallRun) =>
  run.version && run.state ? JSON.stringify([run.version.id, run.state.answers]) : null;

export const useScriptRuns = create<RunStore>()((set, get) => {
  const patch = (key: string, change: Partial<CallRun> | ((run: CallRun) => Partial<CallRun>)) =>
    set((s) => {
      const run = s.runs[key];
      if (!run) {
        return s;
      }
      return {
        runs: { ...s.runs, [key]: { ...run, ...(typeof change === "function" ? change(run) : change) } },
      };
    });

  /** A new runner state; an ended run saves itself. */
  const advance = (
    key: string,
    next: (run: CallRun & { version: ScriptVersion; state: RunState }) => RunState,
  ) => {
    const run = get().runs[key];
    if (!run?.version || !run.state) {
      return;
    }
    const state = next(run as CallRun & { version: ScriptVersion; state: RunState });
    patch(key, { state, save: state === run.state ? run.save : { kind: "idle" } });
    if (state.status === "ended" && run.state.status !== "ended") {
      void get().save(key);
    }
  };

  return {
    runs: {},
    async open(key, callId, interactionId) {
      if (get().runs[key]) {
        return;
      }
      set((s) => ({
        runs: { ...s.runs, [key]: { ...emptyRun(interactionId), phase: callId ? "resolving" : "none" } },
      }));
      if (!callId) {
        return;
      }
      try {
        const { script } = await resolveCallScript(callId);
        // The agent may have picked a script while the resolve was on its way: theirs wins.
        if (get().runs[key]?.phase !== "resolving") {
          return;
        }
        patch(
          key,
          script
            ? {
                phase: "ready",
                version: script.version,
                isAssigned: true,
                state: start(script.version.graph),
              }
            : { phase: "none" },
        );
      } catch (err) {
        patch(key, { phase: "failed", error: reasonOf(err) });
      }
    },
    async choose(key, versionId) {
      const run = get().runs[key];
      if (!run || run.version?.id === versionId) {
        return;
      }
      if (run.state && run.state.answers.length > 0) {
        await get().save(key);
      }
      try {
        const version = await loadVersion(versionId);
        patch(key, {
          phase: "ready",
          error: null,
          version,
          isAssigned: false,
          state: start(version.graph),
          save: { kind: "idle" },
          savedFingerprint: null,
        });
      } catch (err) {
        patch(key, { error: reasonOf(err) });
      }
    },
    input: (key, input) => advance(key, (run) => step(run.version.graph, run.state, input)),
    // The runner has no undo: going back is replaying all but the last accepted input.
    back: (key) => advance(key, (run) => replay(run.version.graph, run.state.answers.slice(0, -1))),
    restart: (key) => advance(key, (run) => start(run.version.graph)),
    async save(key) {
      const run = get().runs[key];
      const fingerprint = run ? fingerprintOf(run) : null;
      if (!run?.interactionId || !run.version || !run.state || run.state.answers.length === 0) {
        return;
      }
      if (fingerprint === run.savedFingerprint || run.save.kind === "saving") {
        return;
      }
      patch(key, { save: { kind: "saving" } });
      const { version, state, interactionId } = run;
      try {
        const saved = await postScriptRun(interactionId, {
          versionId: version.id,
          path: state.path,
          answers: state.answers,
        });
        patch(key, { save: { kind: "saved", run: saved }, savedFingerprint: fingerprint });
      } catch (err) {
        patch(key, { save: { kind: "failed", message: reasonOf(err) } });
      }
    },
  };
});
