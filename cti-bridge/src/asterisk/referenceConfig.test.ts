import { describe, expect, it } from "vitest";
import { loadConfig } from "../config.ts";
import { parseConf, toDialplan, valueOf } from "./asteriskConf.ts";
import { pathsFrom } from "./dialplanPaths.ts";
import { checkReferenceConfig, readReference, type Files } from "./referenceConfig.ts";

/** The Stasis application the bridge registers by default (config.ts ARI_APP). */
const ARI_APP = loadConfig({ AMI_URL: "ami://okno:secret@127.0.0.1:5038" }).asterisk!.ariApp;

/** A copy of the reference with one file's text changed. */
function edited(file: string, edit: (text: string) => string): Files {
  const files = readReference();
  const before = files[file]!;
  const after = edit(before);
  expect(after, `the edit must change ${file}`).not.toBe(before);
  return { ...files, [file]: after };
}

describe("asterisk-config (the reference PBX)", () => {
  it("produces everything the bridge reads", () => {
    expect(checkReferenceConfig(readReference(), ARI_APP)).toEqual([]);
  });

  it("reports a context that a Goto names but nobody defines", () => {
    const files = edited("extensions.conf", (t) => t.replace("[inbound-voicemail]", "[voicemail-renamed]"));
    expect(checkReferenceConfig(files, ARI_APP)).toContainEqual(
      expect.stringMatching(/\[inbound-queue\] s: context inbound-voicemail does not exist/),
    );
  });

  it("reports an endpoint whose context is missing and a queue exit to nowhere", () => {
    const files = edited("extensions.conf", (t) =>
      t.replace("[from-agents]", "[agents]").replace("[queue-exit]", "[queue-exit-old]"),
    );
    const problems = checkReferenceConfig(files, ARI_APP);
    expect(problems).toContainEqual("pjsip.conf [101]: context from-agents does not exist");
    expect(problems).toContainEqual("queues.conf [sales]: context queue-exit does not exist");
  });

  it("reports an inbound DID that reaches the queue without CRM_DID", () => {
    const files = edited("extensions.conf", (t) =>
      t.replace(
        "exten => 74957654321,1,NoOp(Inbound to call-tracking DID ${EXTEN} from ${CALLERID(num)})\n same => n,Set(__CRM_DID=${EXTEN})\n",
        "exten => 74957654321,1,NoOp(Inbound to call-tracking DID ${EXTEN} from ${CALLERID(num)})\n",
      ),
    );
    expect(checkReferenceConfig(files, ARI_APP)).toEqual([
      "[from-trunk] 74957654321: reaches Queue without setting __CRM_DID",
    ]);
  });

  it("reports a DID variable that agent legs would not inherit", () => {
    const files = edited("extensions.conf", (t) =>
      t.replace("Set(__CRM_DID=74951234567)", "Set(CRM_DID=74951234567)"),
    );
    expect(checkReferenceConfig(files, ARI_APP)).toEqual([
      "[from-trunk] inbound: reaches Queue without setting __CRM_DID",
      "[from-trunk] s: reaches Queue without setting __CRM_DID",
    ]);
  });

  it("reports when no tracking number sets CRM_SOURCE", () => {
    const files = edited("extensions.conf", (t) => t.replace(" same => n,Set(__CRM_SOURCE=yandex)\n", ""));
    expect(checkReferenceConfig(files, ARI_APP)).toEqual(["the inbound dialplan never sets CRM_SOURCE"]);
  });

  it("reports a recording not named by the Linkedid", () => {
    const files = edited("extensions.conf", (t) =>
      t.replace("${RECORDINGS_DIR}/${LINKEDID}.wav", "${RECORDINGS_DIR}/${UNIQUEID}.wav"),
    );
    expect(checkReferenceConfig(files, ARI_APP)).toEqual([
      expect.stringMatching(
        /MixMonitor file \$\{RECORDINGS_DIR\}\/\$\{UNIQUEID\}\.wav is not named by \$\{LINKEDID\}/,
      ),
    ]);
  });

  it("reports an event filter that drops an event the tracker handles, or a variable missing from channelvars", () => {
    const files = edited("manager.conf", (t) =>
      t
        .replace("eventfilter(action(include),name(Hangup)) =\n", "")
        .replace("CRM_SOURCE|", "")
        .replace("channelvars = CRM_DID,CRM_SOURCE,", "channelvars = CRM_DID,"),
    );
    expect(checkReferenceConfig(files, ARI_APP)).toEqual([
      "manager.conf: channelvars lacks CRM_SOURCE",
      "manager.conf [okno]: eventfilter drops Hangup",
      "manager.conf [okno]: eventfilter drops VarSet CRM_SOURCE",
      "manager.conf [okno]: eventfilter drops VarSet _CRM_SOURCE",
      "manager.conf [okno]: eventfilter drops VarSet __CRM_SOURCE",
    ]);
  });

  it("reports an exclude filter that would hide Local channels, and a filter that lets noise through", () => {
    const files = edited("manager.conf", (t) =>
      t.replace(
        "eventfilter(action(include),name(Newchannel)) =",
        "eventfilter(action(include),name(Newexten)) =\neventfilter(action(exclude),header(Channel),method(starts_with)) = Local/\neventfilter(action(include),name(Newchannel)) =",
      ),
    );
    const problems = checkReferenceConfig(files, ARI_APP);
    expect(problems).toContain("manager.conf [okno]: eventfilter lets Newexten through");
    expect(problems).toContain("manager.conf [okno]: eventfilter drops LocalBridge");
    expect(problems).toContain("manager.conf [okno]: eventfilter drops Newchannel");
  });

  it("reports agents off the WSS transport, and ARI, HTTP and CEL switched off", () => {
    const files = {
      ...edited("pjsip.conf", (t) => t.replace("transport = transport-wss\n", "transport = transport-udp\n")),
      "ari.conf": "[general]\nenabled = no\n",
      "http.conf": "[general]\nenabled = yes\n",
      "cel.conf": "[general]\nenable = yes\nevents = CHAN_START\n",
    };
    expect(checkReferenceConfig(files, "crm")).toEqual([
      "pjsip.conf [101]: agent not on the WSS transport",
      "pjsip.conf [102]: agent not on the WSS transport",
      "pjsip.conf [103]: agent not on the WSS transport",
      "ari.conf: ARI not enabled",
      "ari.conf: no user with a password",
      "http.conf: no TLS for WSS",
      "extensions.conf: no Stasis(crm) for ARI_APP",
      "cel.conf: no LINKEDID_END",
      "cel.conf: CEL not sent to AMI",
    ]);
  });
});

describe("Asterisk .conf reader", () => {
  const read = (files: Files) => (name: string) => files[name] ?? "";

  it("applies templates, #include and comments the way Asterisk does", () => {
    const sections = parseConf(
      "pjsip.conf",
      read({
        "pjsip.conf": [
          "[agent](!) ; a template",
          "type = endpoint",
          "allow = ulaw",
          ";-- a block",
          "allow = gsm --;",
          '#include "agents.conf"',
        ].join("\n"),
        "agents.conf": "[101](agent)\nallow = opus ; overrides\ncallerid = a\\;b\n",
      }),
    );
    expect(sections.map((s) => [s.name, s.isTemplate])).toEqual([
      ["agent", true],
      ["101", false],
    ]);
    const agent = sections[1]!;
    expect(valueOf(agent, "type")).toBe("endpoint");
    expect(valueOf(agent, "allow")).toBe("opus");
    expect(valueOf(agent, "callerid")).toBe("a;b");
  });

  it("follows Goto, both GotoIf branches and Gosub to Return", () => {
    const dialplan = toDialplan(
      parseConf(
        "extensions.conf",
        read({
          "extensions.conf": [
            "[in]",
            "exten => _74XX,1,GotoIf($[${X} = 1]?yes)",
            " same => n,Gosub(sub,s,1)",
            " same => n,Goto(q,s,1)",
            " same => n(yes),Hangup()",
            "[sub]",
            "exten => s,1,Set(__A=1)",
            " same => n,Return()",
            "[q]",
            "exten => s,1,Queue(sales)",
          ].join("\n"),
        }),
      ),
    );
    const paths = pathsFrom(dialplan, "in", "7401").map((p) => p.map((s) => `${s.context}:${s.app}`));
    expect(paths).toContainEqual(["in:GotoIf", "in:Hangup"]);
    expect(paths).toContainEqual(["in:GotoIf", "in:Gosub", "sub:Set", "sub:Return", "in:Goto", "q:Queue"]);
  });
});
