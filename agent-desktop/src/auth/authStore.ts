import { LoginResult, Me } from "@okno/contracts";
import { create } from "zustand";
import { api, setUnauthorizedHandler } from "../api.ts";

type AuthStatus = "unknown" | "anonymous" | "signedIn";

interface AuthState {
  status: AuthStatus;
  me: Me | null;
  /** Asks crm-api who the session cookie belongs to (on start, and when the socket says the session ended). */
  restore: () => Promise<void>;
  login: (login: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** The session is gone (expired, revoked): back to the login page without a request. */
  signOut: () => void;
}

export const useAuth = create<AuthState>()((set) => ({
  status: "unknown",
  me: null,
  async restore() {
    try {
      const me = await api("GET", "/auth/me", { schema: Me, quiet: true });
      set({ status: "signedIn", me });
    } catch {
      set({ status: "anonymous", me: null });
    }
  },
  async login(login, password) {
    const result = await api("POST", "/auth/login", {
      body: { login, password },
      schema: LoginResult,
      quiet: true,
    });
    set({ status: "signedIn", me: result.user });
  },
  async logout() {
    await api("POST", "/auth/logout", { quiet: true }).catch(() => undefined);
    set({ status: "anonymous", me: null });
  },
  signOut() {
    set({ status: "anonymous", me: null });
  },
}));

setUnauthorizedHandler(() => useAuth.getState().signOut());
