/**
 * Who is on the other end of an incoming INVITE, read from its headers.
 *
 * Order of trust: P-Asserted-Identity (set by the PBX or trunk, RFC 3325) before From (set by the caller).
 * The number is the URI's user part as the network sent it (`89123456789`, `+79123456789`, `101`):
 * crm-api normalises it to E.164 when it looks the contact up, so nothing is guessed here.
 */
export interface RemoteParty {
  number: string;
  displayName: string | undefined;
  /** Our call id from the PBX (`X-Okno-Call-Id`), linking the SIP leg to crm-api's interaction. */
  pbxCallId: string | undefined;
}

export type HeaderReader = (name: string) => string | undefined;

interface NameAddr {
  displayName: string | undefined;
  user: string | undefined;
}

/** Parses `"Name" <sip:user@host;p>`, `Name <tel:+7...>` or a bare `sip:user@host;tag=…`. */
export function parseNameAddr(value: string): NameAddr {
  const trimmed = value.trim();
  const angle = /^(.*?)<([^>]*)>/.exec(trimmed);
  const uri = angle ? (angle[2] ?? "") : (trimmed.split(";")[0] ?? "");
  const rawName = angle ? (angle[1] ?? "").trim() : "";
  return { displayName: unquote(rawName), user: userOf(uri) };
}

function unquote(name: string): string | undefined {
  const inner = name.startsWith('"') && name.endsWith('"') ? name.slice(1, -1).replace(/\\(.)/g, "$1") : name;
  const decoded = safeDecode(inner).trim();
  return decoded === "" ? undefined : decoded;
}

function userOf(uri: string): string | undefined {
  const scheme = /^(sips?|tel):(.*)$/i.exec(uri.trim());
  if (!scheme) {
    return undefined;
  }
  const rest = scheme[2] ?? "";
  // tel:+7912…;phone-context=… has no host; sip:user;npdi@host carries user parameters after ';'.
  const user =
    scheme[1]?.toLowerCase() === "tel" ? rest : rest.includes("@") ? rest.split("@")[0] : undefined;
  const bare = safeDecode((user ?? "").split(";")[0] ?? "").trim();
  return bare === "" ? undefined : bare;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Anonymous callers (RFC 3323) and empty user parts give no number worth looking up. */
function isUsableNumber(user: string | undefined): user is string {
  return user !== undefined && /\d/.test(user) && !/^anonymous$/i.test(user);
}

export function extractRemoteParty(header: HeaderReader): RemoteParty {
  const pai = header("P-Asserted-Identity");
  const asserted = pai ? parseNameAddr(pai.split(",")[0] ?? "") : undefined;
  const from = parseNameAddr(header("From") ?? "");
  const number = isUsableNumber(asserted?.user) ? asserted.user : (from.user ?? "");
  const pbxCallId = header("X-Okno-Call-Id")?.trim();
  return {
    number,
    displayName: asserted?.displayName ?? from.displayName,
    pbxCallId: pbxCallId === "" ? undefined : pbxCallId,
  };
}

/**
 * What to put in the request URI when the agent dials `8 (912) 345-67-89`: digits and a leading `+`,
 * nothing else; an extension stays as typed. Returns undefined when nothing dialable is left.
 */
export function toDialString(input: string): string | undefined {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[^\d*#]/g, "");
  if (digits === "") {
    return undefined;
  }
  return trimmed.startsWith("+") ? `+${digits}` : digits;
}
