import { Registerer, RegistererState, SIPExtension, UserAgent } from "sip.js";
import type { Invitation } from "sip.js";
import type { SipCredentials } from "@okno/contracts";
import type { RegistrationEvent, RegistrationState } from "./registration.ts";
import { nextReconnectDelay } from "./registration.ts";

export interface SipAgentOptions {
  /** Upper bound on ICE gathering before the offer/answer goes out (SIP.js default 5000 ms). */
  iceGatheringTimeoutMs?: number;
  /** Receives SIP.js's own log lines (e.g. to the console while debugging); silent by default. */
  log?: (level: string, category: string, content: string) => void;
}

export interface SipAgentHooks {
  registration: () => RegistrationState;
  dispatch: (event: RegistrationEvent) => void;
  onInvite: (invitation: Invitation) => void;
}

export interface SipAgent {
  ua: UserAgent;
  start: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * The SIP.js UserAgent and its registration, kept registered: a dropped WebSocket is reconnected with
 * backoff (and at once when the browser says it is online again) and every reconnect re-REGISTERs.
 */
export function createSipAgent(
  credentials: SipCredentials,
  options: SipAgentOptions,
  hooks: SipAgentHooks,
): SipAgent {
  const { dispatch } = hooks;
  let stopped = true;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const ua = new UserAgent({
    uri: UserAgent.makeURI(`sip:${credentials.extension}@${credentials.domain}`),
    displayName: credentials.displayName,
    authorizationUsername: credentials.authorizationUsername,
    authorizationPassword: credentials.password,
    transportOptions: { server: credentials.wsUri, connectionTimeout: 5 },
    // Needed to accept the INVITE with Replaces that completes a warm transfer towards us.
    sipExtensionReplaces: SIPExtension.Supported,
    sessionDescriptionHandlerFactoryOptions: {
      // telephony.md §11 gotcha 5: explicit iceServers (never SIP.js's public STUN default) and a short cap.
      iceGatheringTimeout: options.iceGatheringTimeoutMs ?? 500,
      peerConnectionConfiguration: { iceServers: credentials.iceServers },
    },
    logBuiltinEnabled: false,
    logLevel: options.log ? "debug" : "error",
    logConnector: (level, category, _label, content) => options.log?.(level, category, content),
    userAgentString: "Okno softphone",
    delegate: {
      onDisconnect: (error) => {
        if (!stopped) {
          dispatch({ type: "transportLost", reason: error?.message ?? "connection closed" });
          scheduleReconnect();
        }
      },
      onInvite: (invitation) => hooks.onInvite(invitation),
    },
  });
  const registerer = new Registerer(ua, { expires: 300 });
  registerer.stateChange.addListener((state) => {
    if (state === RegistererState.Registered) {
      dispatch({ type: "registered" });
    } else if (state === RegistererState.Unregistered && !stopped) {
      dispatch({ type: "unregistered" });
    }
  });

  async function register(): Promise<void> {
    await registerer.register({
      requestDelegate: {
        // Also after a reconnect, where the Registerer still thinks it is registered and emits no change.
        onAccept: () => dispatch({ type: "registered" }),
        onReject: (response) => {
          const code = response.message.statusCode ?? 0;
          dispatch({ type: "rejected", reason: `${code} ${response.message.reasonPhrase ?? ""}`.trim() });
        },
      },
    });
  }

  function scheduleReconnect(): void {
    clearTimeout(reconnectTimer);
    reconnectTimer = setTimeout(() => void reconnect(), nextReconnectDelay(hooks.registration().attempts));
  }

  async function reconnect(): Promise<void> {
    if (stopped || hooks.registration().status === "registered") {
      return;
    }
    dispatch({ type: "retrying" });
    try {
      await ua.reconnect();
      await register();
    } catch {
      scheduleReconnect();
    }
  }

  // A laptop coming back online should not wait out the backoff.
  const handleOnline = () => {
    if (hooks.registration().status === "reconnecting") {
      clearTimeout(reconnectTimer);
      void reconnect();
    }
  };

  return {
    ua,
    async start() {
      stopped = false;
      dispatch({ type: "start" });
      globalThis.addEventListener?.("online", handleOnline);
      try {
        await ua.start();
        await register();
      } catch (error) {
        dispatch({
          type: "transportLost",
          reason: error instanceof Error ? error.message : "cannot connect",
        });
        scheduleReconnect();
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(reconnectTimer);
      globalThis.removeEventListener?.("online", handleOnline);
      await registerer.unregister().catch(() => undefined);
      await ua.stop();
      dispatch({ type: "stop" });
    },
  };
}
