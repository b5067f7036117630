import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { AriEvent } from "./ariEvents.ts";
import type { AriRest, SnoopArgs } from "./ariRest.ts";

/*
 * Supervisor listen / whisper / barge through ARI (telephony.md §2.6): a snoop channel on the agent's
 * leg and the supervisor's phone, both in our Stasis application, joined in a mixing bridge.
 *
 *   createBridge ─► snoop(agent leg) ──StasisStart(snoop)──► addChannel(snoop)
 *                └► originate(supervisor, app) ──answered: StasisStart(supervisor)──► addChannel(supervisor)
 *   either channel ends (ChannelDestroyed / StasisEnd) ─► hang up the other, destroy the bridge
 *
 * Snoop works on any channel, in Stasis or not, so this serves calls of any dialplan. Directions are
 * the agent channel's: spy "both" hears the agent and the customer; whisper "out" goes into the agent's
 * ear only, "both" also into what the customer hears.
 */

export type SuperviseMode = "listen" | "whisper" | "barge";

const DIRECTIONS: Record<SuperviseMode, Pick<SnoopArgs, "spy" | "whisper">> = {
  listen: { spy: "both", whisper: "none" },
  whisper: { spy: "both", whisper: "out" },
  barge: { spy: "both", whisper: "both" },
};

type Session = { bridgeId: string; snoopId: string; supervisorId: string; isClosing: boolean };

export type SuperviseArgs = {
  /** The agent's channel (its Uniqueid = ARI channel id). */
  agentChannelId: string;
  /** "PJSIP/201": the supervisor's phone. */
  supervisorEndpoint: string;
  mode: SuperviseMode;
  /** Shown on the supervisor's phone. */
  callerId?: string;
  ringTimeoutSec?: number;
};

export type Supervisor = {
  supervise(args: SuperviseArgs): Promise<{ bridgeId: string; snoopId: string; supervisorId: string }>;
  handleEvent(event: AriEvent): void;
  /** Sessions under way (tests, stats). */
  active(): number;
};

export function createSupervisor(options: { rest: AriRest; app: string; log: Logger }): Supervisor {
  const { rest, app } = options;
  const log = options.log.child({ module: "ari" });
  /** Sessions by the id of each of their two channels. */
  const byChannel = new Map<string, Session>();

  async function close(session: Session, reason: string): Promise<void> {
    if (session.isClosing) {
      return;
    }
    session.isClosing = true;
    byChannel.delete(session.snoopId);
    byChannel.delete(session.supervisorId);
    log.info({ bridgeId: session.bridgeId, reason }, "supervision ended");
    // Each may be gone already (that is usually why we close): a 404 here is the expected outcome.
    const quietly = (p: Promise<void>) => p.catch(() => undefined);
    await Promise.all([quietly(rest.hangup(session.snoopId)), quietly(rest.hangup(session.supervisorId))]);
    await quietly(rest.destroyBridge(session.bridgeId));
  }

  async function supervise(args: SuperviseArgs) {
    const tag = randomUUID();
    const session: Session = {
      bridgeId: `okno-bridge-${tag}`,
      snoopId: `okno-snoop-${tag}`,
      supervisorId: `okno-supervisor-${tag}`,
      isClosing: false,
    };
    await rest.createBridge({
      type: "mixing",
      bridgeId: session.bridgeId,
      name: `okno-supervise-${args.mode}`,
    });
    // Known before the requests: the StasisStart of either may arrive before its POST returns.
    byChannel.set(session.snoopId, session);
    byChannel.set(session.supervisorId, session);
    try {
      await rest.snoop(args.agentChannelId, {
        app,
        appArgs: "okno-snoop",
        snoopId: session.snoopId,
        ...DIRECTIONS[args.mode],
      });
      await rest.originate({
        endpoint: args.supervisorEndpoint,
        app,
        appArgs: "okno-supervisor",
        channelId: session.supervisorId,
        callerId: args.callerId,
        timeoutSec: args.ringTimeoutSec ?? 30,
      });
    } catch (err) {
      await close(session, "setup failed");
      throw err;
    }
    log.info({ bridgeId: session.bridgeId, mode: args.mode }, "supervision started");
    return { bridgeId: session.bridgeId, snoopId: session.snoopId, supervisorId: session.supervisorId };
  }

  function handleEvent(event: AriEvent): void {
    if (!("channel" in event)) {
      return;
    }
    const session = byChannel.get(event.channel.id);
    if (!session || session.isClosing) {
      return;
    }
    switch (event.type) {
      case "StasisStart":
        rest.addChannel(session.bridgeId, [event.channel.id]).catch((err: unknown) => {
          log.warn({ err: (err as Error).message }, "supervision channel not bridged");
          void close(session, "bridge failed");
        });
        return;
      case "StasisEnd":
      case "ChannelDestroyed":
        void close(session, event.type);
        return;
      case "ChannelCreated":
      case "ChannelStateChange":
      case "ChannelHangupRequest":
      case "ChannelEnteredBridge":
      case "ChannelLeftBridge":
        return; // the end comes as ChannelDestroyed; the rest changes nothing for the session
    }
  }

  return { supervise, handleEvent, active: () => new Set(byChannel.values()).size };
}
