import { z } from "zod";

/*
 * The `json` field of Mango's webhooks (VPBX API v1.9 §3.1, telephony.md §1.2–1.3). Parsed leniently on
 * purpose: the PDF's own examples send integers as strings ("seq": "1"), extensions as numbers or
 * strings, empty strings for absent values ("acd_group": "") and even misspell a key ("locaton").
 * Unknown fields are dropped, not refused, so a field Mango adds later breaks nothing.
 */

/** An integer sent as a number or as a digit string. */
const Int = z
  .union([
    z.number(),
    z
      .string()
      .trim()
      .regex(/^-?\d+$/),
  ])
  .transform(Number)
  .pipe(z.number().int());

/** A short text or number as text; "" and null mean absent. */
const Text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === undefined || v === null || String(v).trim() === "" ? null : String(v).trim()))
  .pipe(z.string().max(300).nullable());

const Id = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().min(1).max(128));

const Flag = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((v) => v === true || v === 1 || v === "1" || v === "true");

/** `from` / `to` of events/call (PDF §3.1.2). */
const Side = z
  .object({
    extension: Text,
    number: Text,
    /** The leg this party was in before it was moved into this one (transfers, IVR routing). */
    taken_from_call_id: Text,
    /** Our incoming line: the DID the customer dialled. */
    line_number: Text,
    /** Internal number of the operators' group (queue). */
    acd_group: Text,
    was_transferred: Flag,
    hold_initiator: Flag,
  })
  .nullish()
  .transform(
    (side) =>
      side ?? {
        extension: null,
        number: null,
        taken_from_call_id: null,
        line_number: null,
        acd_group: null,
        was_transferred: false,
        hold_initiator: false,
      },
  );
export type MangoSide = z.output<typeof Side>;

export const MANGO_CALL_STATES = ["Appeared", "Connected", "OnHold", "Disconnected"] as const;
export type MangoCallState = (typeof MANGO_CALL_STATES)[number] | "Other";

/** POST events/call: one leg (`call_id`) of a call (`entry_id`) changed state (PDF §3.1.2). */
export const CallPayload = z
  .object({
    entry_id: Id,
    call_id: Id,
    /** Unix seconds (the PDF labels event times "UTC+3"; see telephony.md §8). */
    timestamp: Int,
    /** Per-leg counter; webhooks may arrive out of order (telephony.md §0.2). */
    seq: Int.pipe(z.number().min(0)),
    call_state: z
      .string()
      .transform((s): MangoCallState =>
        (MANGO_CALL_STATES as readonly string[]).includes(s) ? (s as MangoCallState) : "Other",
      ),
    location: Text,
    /** The PDF's appendix examples spell it so (pp. 339–342). */
    locaton: Text,
    from: Side,
    to: Side,
    dct: z.object({ number: Text, type: Int.nullish() }).nullish(),
    disconnect_reason: Int.nullish(),
    /** consultative | blind | return_blind, when the leg is part of a transfer. */
    transfer: Text,
    command_id: Text,
    callback_initiator: Text,
    sip_call_id: Text,
  })
  .transform(({ locaton, ...p }) => ({ ...p, location: p.location ?? locaton }));
export type CallPayload = z.output<typeof CallPayload>;

/** POST events/summary: the whole call is over (telephony.md §1.2). */
export const SummaryPayload = z.object({
  entry_id: Id,
  /** 0 internal, 1 inbound, 2 outbound. */
  call_direction: Int,
  from: Side,
  to: Side,
  line_number: Text,
  create_time: Int,
  /** When the call was answered; 0 when nobody answered. */
  talk_time: Int.nullish(),
  end_time: Int,
  /** 1 = the call succeeded (someone talked), 0 = missed or failed. */
  entry_result: Int,
  disconnect_reason: Int.nullish(),
});
export type SummaryPayload = z.output<typeof SummaryPayload>;

/** POST events/recording: a recording started, moved to another leg, or completed (telephony.md §1.2). */
export const RecordingPayload = z.object({
  recording_id: Id,
  recording_state: z.string().max(50),
  seq: Int,
  entry_id: Id,
  call_id: Id,
  extension: Text,
  timestamp: Int,
  /** 1000 ok, 22xx account limited, 4002 shorter than the minimum (not stored). */
  completion_code: Int.nullish(),
});
export type RecordingPayload = z.output<typeof RecordingPayload>;

/** POST events/record/added: the recording is in Mango's cloud and can be downloaded (telephony.md §1.2). */
export const RecordAddedPayload = z.object({
  entry_id: Id,
  recording_id: Id,
  timestamp: Int,
  user_id: Text,
});
export type RecordAddedPayload = z.output<typeof RecordAddedPayload>;

/** POST events/dtmf: a complete DTMF sequence collected in the IVR (telephony.md §1.2). */
export const DtmfPayload = z.object({
  entry_id: Id,
  call_id: Id,
  seq: Int,
  dtmf: z.union([z.string(), z.number()]).transform(String).pipe(z.string().max(100)),
  timestamp: Int,
  location: Text,
});
export type DtmfPayload = z.output<typeof DtmfPayload>;

/** POST result/<command>: the outcome of a command we sent (1000 = done; PDF §3.2). */
export const CommandResultPayload = z.object({ command_id: Text, result: Int });
export type CommandResultPayload = z.output<typeof CommandResultPayload>;
