import { isDemoEnabled } from "./config.server";

// One clock for the whole process. Production reads the wall clock; in demo and
// tests the offset can be advanced so a one-hour wait passes in a second.
interface ClockState {
  offsetMs: number;
}
const g = globalThis as unknown as { __flowmateClock?: ClockState };
const state: ClockState = (g.__flowmateClock ??= { offsetMs: 0 });

export function now(): Date {
  return new Date(Date.now() + state.offsetMs);
}

export function advanceClock(ms: number): Date {
  if (!isDemoEnabled()) throw new Error("The clock can only be advanced in demo mode");
  if (!Number.isFinite(ms) || ms < 0) throw new Error("ms must be a non-negative number");
  state.offsetMs += ms;
  return now();
}

/** Moves the clock to an absolute instant (demo and tests: "it is Tuesday 10:00 in Warsaw"). */
export function setClock(at: Date): Date {
  if (!isDemoEnabled()) throw new Error("The clock can only be set in demo mode");
  state.offsetMs = at.getTime() - Date.now();
  return now();
}

export function clockOffsetMs(): number {
  return state.offsetMs;
}

export function resetClock(): void {
  state.offsetMs = 0;
}
