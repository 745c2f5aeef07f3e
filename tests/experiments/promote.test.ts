// Settling an A/B test: the tested step keeps only the winner, and the result is a valid
// definition the runner can start enrollments on.
import { describe, expect, it } from "vitest";
import { promoteWinner, testSignature, testedSteps, winnerChangeNote } from "~/domain/experiments";
import { parseFlowDefinition, type FlowDefinitionInput } from "~/domain/journey";
import type { ExperimentEvaluation } from "~/domain/stats";

function def(steps: FlowDefinitionInput["steps"], startStepId = steps[0]!.id) {
  return parseFlowDefinition({
    schemaVersion: 1,
    key: "custom-ab",
    name: "A/B",
    trigger: { type: "event", events: ["e"] },
    startStepId,
    steps,
  });
}

const content = def([
  { id: "code", type: "create_discount", kind: "percentage", value: 10, expiresInHours: 72, prefix: "AB", next: "s" },
  {
    id: "s",
    type: "send",
    channel: "email",
    templateKey: "t_base",
    next: "w",
    variants: [
      { key: "a", weight: 1 },
      { key: "b", weight: 1, templateKey: "t_long", subject: "Ten percent off, {{ customer.firstName }}", discountStepId: "code" },
    ],
  },
  { id: "w", type: "wait", duration: { days: 2 }, next: "s2" },
  { id: "s2", type: "send", channel: "email", templateKey: "t_second" },
]);

const delay = def([
  { id: "entry_tag", type: "add_tag", tag: "in", next: "delay" },
  {
    id: "delay",
    type: "ab_split",
    variants: [
      { key: "one_hour", weight: 1, next: "w1" },
      { key: "four_hours", weight: 1, next: "w4" },
    ],
  },
  { id: "w1", type: "wait", duration: { hours: 1 }, next: "reminder" },
  { id: "w4", type: "wait", duration: { hours: 4 }, next: "reminder" },
  { id: "reminder", type: "send", channel: "email", templateKey: "reminder" },
]);

describe("what a definition tests", () => {
  it("lists send variants and splits with their control and the sends that measure them", () => {
    expect(testedSteps(content)).toEqual([
      {
        stepId: "s",
        kind: "send",
        variants: [
          { key: "a", weight: 1 },
          { key: "b", weight: 1 },
        ],
        controlKey: "a",
        measuredSteps: ["s"],
      },
    ]);
    expect(testedSteps(delay)).toEqual([
      {
        stepId: "delay",
        kind: "split",
        variants: [
          { key: "one_hour", weight: 1 },
          { key: "four_hours", weight: 1 },
        ],
        controlKey: "one_hour",
        measuredSteps: ["reminder"],
      },
    ]);
  });

  it("a test's signature ignores edits elsewhere in the flow but not to the test itself", () => {
    const editedElsewhere = def(content.steps.map((s) => (s.id === "w" ? { ...s, duration: { days: 3 } } : s)));
    const editedVariant = def(
      content.steps.map((s) =>
        s.type === "send" && s.variants ? { ...s, variants: [s.variants[0]!, { ...s.variants[1]!, weight: 2 }] } : s,
      ),
    );
    expect(testSignature(editedElsewhere, "s")).toBe(testSignature(content, "s"));
    expect(testSignature(editedVariant, "s")).not.toBe(testSignature(content, "s"));
    const longerWait = def(delay.steps.map((s) => (s.id === "w4" ? { ...s, duration: { hours: 6 } } : s)));
    const otherTag = def(delay.steps.map((s) => (s.id === "entry_tag" ? { ...s, tag: "other" } : s)));
    expect(testSignature(longerWait, "delay")).not.toBe(testSignature(delay, "delay"));
    expect(testSignature(otherTag, "delay")).toBe(testSignature(delay, "delay"));
    expect(testSignature(content, "w")).toBeNull();
  });
});

describe("promoting a winner", () => {
  it("a winning content variant becomes the step's template, subject and incentive", () => {
    const promoted = parseFlowDefinition(promoteWinner(content, "s", "b"));
    expect(promoted.steps.find((s) => s.id === "s")).toEqual({
      id: "s",
      type: "send",
      channel: "email",
      purpose: "marketing",
      templateKey: "t_long",
      subject: "Ten percent off, {{ customer.firstName }}",
      discountStepId: "code",
      onCap: "defer",
      onConflict: "defer",
      onNoConsent: "skip",
      next: "w",
    });
    expect(testedSteps(promoted)).toEqual([]);
  });

  it("a winning control keeps the step's own content, and a code only the loser carried is no longer minted", () => {
    const promoted = parseFlowDefinition(promoteWinner(content, "s", "a"));
    expect(promoted.startStepId).toBe("s");
    expect(promoted.steps.map((s) => s.id)).toEqual(["s", "w", "s2"]);
    expect(promoted.steps[0]).toMatchObject({ templateKey: "t_base" });
    expect(promoted.steps[0]).not.toHaveProperty("discountStepId");
    expect(promoted.steps[0]).not.toHaveProperty("subject");
  });

  it("a winning delay takes the split out: what led to it leads to the winner's branch, the other branch goes", () => {
    const promoted = parseFlowDefinition(promoteWinner(delay, "delay", "four_hours"));
    expect(promoted.steps.map((s) => s.id)).toEqual(["entry_tag", "w4", "reminder"]);
    expect(promoted.steps[0]).toMatchObject({ next: "w4" });
    const atStart = def(delay.steps.slice(1));
    const fromStart = parseFlowDefinition(promoteWinner(atStart, "delay", "one_hour"));
    expect(fromStart.startStepId).toBe("w1");
    expect(fromStart.steps.map((s) => s.id)).toEqual(["w1", "reminder"]);
  });

  it("refuses a step or variant that is not there", () => {
    expect(() => promoteWinner(content, "s", "z")).toThrow('step "s" has no variant "z"');
    expect(() => promoteWinner(content, "w", "a")).toThrow('step "w" is not an A/B test');
  });

  it("the change note names the step, the winner, its probability and the recipients", () => {
    const variant = (key: string, isControl: boolean, recipients: number, probBeatControl: number, probBest: number) => ({
      key,
      isControl,
      recipients,
      probBeatControl,
      probBest,
      value: { estimate: 0, low: 0, high: 0 },
      diffVsControl: null,
      expectedLoss: 0,
      msprtPValue: null,
    });
    const evaluation = (winner: string): ExperimentEvaluation => ({
      winner,
      concluded: true,
      reason: "winner_found",
      perVariant: [variant("a", true, 610, 0.5, 0.06), variant("b", false, 590, 0.9412, 0.94)],
    });
    expect(winnerChangeNote("welcome_1", evaluation("b"))).toBe(
      "A/B test on step welcome_1: variant b won, P(beats control)=0.94 after 1200 recipients",
    );
    expect(winnerChangeNote("welcome_1", evaluation("a"))).toBe(
      "A/B test on step welcome_1: variant a (control) won, P(best)=0.06 after 1200 recipients",
    );
  });
});
