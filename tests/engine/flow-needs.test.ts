import { describe, expect, it } from "vitest";
import { buildCatalogueFlow, CATALOGUE_KEYS, flowNeeds } from "~/domain/flows";
import { parseFlowDefinition } from "~/domain/journey";

describe("what the runtime loads for a flow (FlowDefinition.needs)", () => {
  it("is what the definition declares, whatever its key or source", () => {
    const replenishment = buildCatalogueFlow("replenishment");
    expect(flowNeeds(replenishment)).toEqual(["learnedReorderIntervals"]);
    expect(flowNeeds({ ...replenishment, needs: [] })).toEqual([]);
    expect(flowNeeds({ ...buildCatalogueFlow("welcome"), key: "custom-1", needs: ["learnedReorderIntervals"] })).toEqual([
      "learnedReorderIntervals",
    ]);
  });

  it("is the catalogue entry's declaration for a definition stored before the field existed", () => {
    const { needs: _, ...stored } = buildCatalogueFlow("replenishment");
    expect(flowNeeds(parseFlowDefinition(stored))).toEqual(["learnedReorderIntervals"]);
    const { source: __, ...custom } = stored;
    expect(flowNeeds(parseFlowDefinition({ ...custom, key: "custom-2" }))).toEqual([]);
  });

  it("is declared by the replenishment flow only, in today's catalogue", () => {
    const declaring = CATALOGUE_KEYS.filter((k) => flowNeeds(buildCatalogueFlow(k)).length > 0);
    expect(declaring).toEqual(["replenishment"]);
  });

  it("rejects a need the runtime does not know", () => {
    expect(() => parseFlowDefinition({ ...buildCatalogueFlow("replenishment"), needs: ["everything"] })).toThrow();
  });
});
