import { normalizePhone } from "@okno/contracts";
import { api } from "../api.ts";

/**
 * Click-to-call: through this browser's softphone when it is registered, else crm-api asks the PBX to
 * ring the agent's own phone first and then the number (POST /calls/originate). When neither works (a
 * manager's smartphone with no extension), the device's own dialer takes the `tel:` link.
 */
export async function dial(phone: string): Promise<void> {
  const target = normalizePhone(phone) ?? phone;
  // A dynamic import keeps the SIP stack out of the first bundle (the layout loads it right after paint).
  const { useSoftphone } = await import("../softphone/softphoneStore.ts");
  const softphone = useSoftphone.getState();
  if (softphone.registration.status === "registered") {
    await softphone.dial(target);
    return;
  }
  try {
    await api("POST", "/calls/originate", { body: { phone: target }, quiet: true });
  } catch {
    window.location.href = `tel:${target}`;
  }
}
