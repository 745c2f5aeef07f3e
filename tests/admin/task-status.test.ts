import { describe, expect, it } from "vitest";
import { taskStatus } from "~/components/TaskHealthCard";

// The System health badge of a task: a queue that moves but has an item set aside is not "on time".
describe("task status badge", () => {
  const moving = { failuresLastHour: 0, lagSeconds: 5 };

  it("is on time when the queue moves and nothing is set aside", () => {
    expect(taskStatus(moving, 0)).toBe("ok");
  });

  it("names items set aside even when the queue moves", () => {
    expect(taskStatus(moving, 1)).toBe("set_aside");
    expect(taskStatus({ failuresLastHour: 0, lagSeconds: null }, 3)).toBe("set_aside");
  });

  it("puts failing runs first, then set-aside items, then lag", () => {
    expect(taskStatus({ failuresLastHour: 2, lagSeconds: 3600 }, 4)).toBe("failing");
    expect(taskStatus({ failuresLastHour: 0, lagSeconds: 3600 }, 4)).toBe("set_aside");
    expect(taskStatus({ failuresLastHour: 0, lagSeconds: 3600 }, 0)).toBe("late");
  });
});
