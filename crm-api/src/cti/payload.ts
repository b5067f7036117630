import type { Call } from "./callState.ts";

/** Where a call came from: a static tracking number's source, or the website visit that held a pool number. */
export interface Attribution {
  sourceId: string | null;
  sourceName: string | null;
  campaignId: string | null;
  campaignName: string | null;
  utm: {
    visitorId: string;
    utmSource: string | null;
    utmMedium: string | null;
    utmCampaign: string | null;
    utmContent: string | null;
    utmTerm: string | null;
    keyword: string | null;
    landingPage: string | null;
  } | null;
}

/** A user a call was pushed to, with the extension they had then. */
export interface Notified {
  userId: string;
  ext: string | null;
}

/**
 * `interactions.payload` of a call: the merged events plus what crm-api decided about them, kept so
 * that the next event of the call needs no second look-up and makes no second decision.
 */
export interface CallPayload {
  call: Call;
  /** The outside party in E.164: the caller of an inbound call, the callee of an outbound one. */
  number: string | null;
  /** Null until the dialled line is known; resolved once, at the time the call started. */
  attribution: Attribution | null;
  /** Everyone who was sent the call: they hear about each of its later changes. */
  notified: Notified[];
  /** The contact (and lead) this call created for an unknown number, and the owner it got meanwhile. */
  created: { contactId: string; leadId: string | null; ownerId: string } | null;
  /** The callback task of a missed call, once created (or found already open). */
  callbackTaskId: string | null;
}
