import type { Permissions, RoleCode } from "@okno/contracts";

/** Who is making the request: everything access checks need, loaded once per request (cached). */
export interface Principal {
  userId: string;
  login: string;
  fullName: string;
  role: RoleCode;
  departmentId: string;
  /** Materialised path of the user's department ("/<root>/<sales>/"): the subtree prefix. */
  departmentPath: string;
  extension: string | null;
  permissions: Permissions;
  /**
   * How the request authenticated: browser session cookie or API bearer token; work done by the importer,
   * the CTI bridge or background jobs on behalf of a user says so, for the audit log.
   */
  via: "session" | "api" | "import" | "cti" | "system";
  /** Client address of the current request (set per request, never cached). */
  ip?: string;
}
