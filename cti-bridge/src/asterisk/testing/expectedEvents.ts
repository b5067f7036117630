/*
 * What each real capture in ../shared/fixtures/asterisk must produce, in order (the fixtures README says
 * what happened in each call). Readable per scenario: one line per call event with the fields that matter.
 */

const MAIN = "+74951234567";
const CALLER = "+79161234567";
const rec = (linkedid: string) => ({
  type: "recording.ready",
  recordingId: `/var/spool/asterisk/monitor/${linkedid}.wav`,
});
const inbound = { direction: "in", from: CALLER, line: MAIN, source: "main" };
const queueRinging = (legId: string) => ({
  type: "call.ringing",
  legId,
  ...inbound,
  to: MAIN,
  agentExt: null,
  queue: "sales",
});
const agentRinging = (legId: string, ext: string, queue: string | null = "sales") => ({
  type: "call.ringing",
  legId,
  ...inbound,
  to: ext,
  agentExt: ext,
  queue,
});
const answered = (legId: string, agentExt: string) => ({ type: "call.answered", legId, agentExt });
const ended = (cause: string, q850: number | null, agentExt: string | null) => ({
  type: "call.ended",
  cause,
  q850,
  agentExt,
});
/** One phone stopped ringing (legId set); the call goes on. */
const legEnded = (legId: string, cause: string, q850: number | null, agentExt: string) => ({
  type: "call.ended",
  legId,
  cause,
  q850,
  agentExt,
});

export const EXPECTED: Record<string, { linkedid: string; events: Record<string, unknown>[] }> = {
  // Queue "sales" rings 101 and 102 (ringall), 101 answers: 102's phone stops ringing ("answered
  // elsewhere", Q.850 26), which is no miss, neither 102's nor the call's.
  "inbound-answered": {
    linkedid: "1795456775.0",
    events: [
      queueRinging("1795456775.0"),
      agentRinging("1795456775.1", "101"),
      agentRinging("1795456775.2", "102"),
      answered("1795456775.1", "101"),
      legEnded("1795456775.2", "completed", 26, "102"),
      ended("completed", 16, "101"),
      rec("1795456775.0"),
    ],
  },
  // The tracking number, nobody answers, the caller gives up after 10 s (Cause 127, TechCause 487).
  "inbound-tracking-abandoned": {
    linkedid: "1795456786.3",
    events: [
      {
        ...queueRinging("1795456786.3"),
        from: "+79031112233",
        to: "+74957654321",
        line: "+74957654321",
        source: "adcampaign-1",
      },
      {
        ...agentRinging("1795456786.4", "101"),
        from: "+79031112233",
        line: "+74957654321",
        source: "adcampaign-1",
      },
      {
        ...agentRinging("1795456786.5", "102"),
        from: "+79031112233",
        line: "+74957654321",
        source: "adcampaign-1",
      },
      legEnded("1795456786.4", "abandoned", null, "101"),
      legEnded("1795456786.5", "abandoned", null, "102"),
      ended("abandoned", 127, null),
      rec("1795456786.3"),
    ],
  },
  // 101 answers, consults 102 while the caller holds, hangs up: the caller stays with 102.
  "inbound-atxfer": {
    linkedid: "1795456802.6",
    events: [
      queueRinging("1795456802.6"),
      agentRinging("1795456802.7", "101"),
      agentRinging("1795456802.8", "102"),
      answered("1795456802.7", "101"),
      legEnded("1795456802.8", "completed", 26, "102"),
      { type: "call.held", legId: "1795456802.7", agentExt: "101" },
      agentRinging("1795456807.11", "102", null),
      answered("1795456807.11", "102"),
      { type: "call.transferred", kind: "attended", fromExt: "101", to: "102" },
      ended("completed", 16, "102"),
      rec("1795456802.6"),
    ],
  },
  // 101 answers and blind-transfers to 103, who answers (the Unhold on 101 had no Hold: no resumed).
  "inbound-blindxfer": {
    linkedid: "1795456830.12",
    events: [
      queueRinging("1795456830.12"),
      agentRinging("1795456830.13", "101"),
      agentRinging("1795456830.14", "102"),
      answered("1795456830.13", "101"),
      legEnded("1795456830.14", "completed", 26, "102"),
      { type: "call.transferred", kind: "blind", fromExt: "101", to: "103" },
      agentRinging("1795456834.15", "103", null),
      answered("1795456834.15", "103"),
      ended("completed", 16, "103"),
      rec("1795456830.12"),
    ],
  },
  // Agent 101 dials 89161234567 through the trunk: the far end's leg rings and answers.
  "outbound-from-agent": {
    linkedid: "1795456884.20",
    events: [
      {
        type: "call.ringing",
        legId: "1795456884.21",
        direction: "out",
        from: "101",
        to: CALLER,
        line: null,
        agentExt: "101",
        queue: null,
        source: null,
      },
      answered("1795456884.21", "101"),
      ended("completed", 16, "101"),
      rec("1795456884.20"),
    ],
  },
  // A direct DID to the SIP.js softphone endpoint webrtc-201 (no queue).
  "webrtc-inbound": {
    linkedid: "1795460910.4",
    events: [
      { ...agentRinging("1795460910.5", "201", null), line: "+74950000201", source: "webrtc-test" },
      answered("1795460910.5", "201"),
      ended("completed", 16, "201"),
      rec("1795460910.4"),
    ],
  },
};
