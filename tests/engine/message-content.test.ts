// A send step's own content (the message editor's) travels in the send command, so
// the outbox row carries what the flow version said; an A/B variant with a template
// of its own sends that template instead.
import { describe, expect, it } from "vitest";
import { parseFlowDefinition, type SendCommand } from "~/domain/journey";
import { customer, Sim } from "./driver";

const content = { en: { subject: "Hi {{ customer.firstName }}", preheader: "", blocks: [{ type: "footer" as const }] } };

function flow(variants?: unknown) {
  return parseFlowDefinition({
    schemaVersion: 1,
    key: "custom-content",
    name: "Content",
    trigger: { type: "event", events: ["thing_happened"] },
    startStepId: "send_1",
    steps: [{ id: "send_1", type: "send", channel: "email", templateKey: "welcome_1", content, ...(variants ? { variants } : {}) }],
  });
}

describe("a send step with content of its own", () => {
  it("puts the content into the send command", () => {
    const sim = new Sim(flow());
    sim.start({ event: "thing_happened" });
    const send = sim.commands("send")[0] as SendCommand;
    expect(send.content).toEqual(content);
    expect(send.templateKey).toBe("welcome_1");
  });

  it("leaves it out for a variant that sends a template of its own", () => {
    const variants = [
      { key: "own", weight: 1 },
      { key: "catalogue", weight: 1, templateKey: "welcome_2" },
    ];
    const seen = new Map<string, boolean>();
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const sim = new Sim(flow(variants), { enrollmentId: `enr-${i}`, customer: customer({ id: `c-${i}` }) });
      sim.start({ event: "thing_happened" });
      const send = sim.commands("send")[0] as SendCommand;
      seen.set(send.templateKey, Boolean(send.content));
    }
    expect(seen.get("welcome_1")).toBe(true);
    expect(seen.get("welcome_2")).toBe(false);
  });
});
