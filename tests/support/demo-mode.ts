// Vitest setup file: a test process is a harness that calls the app in process, like
// `server.ts --demo` (demo credentials, a movable clock, the demo admin). Tests about a
// process started without --demo switch it off around themselves with outsideDemo().
import { disableDemoMode, enableDemoMode } from "~/server/config.server";

enableDemoMode();

/** Runs `fn` as a process started without --demo would, then switches demo mode back on. */
export async function outsideDemo<T>(fn: () => T | Promise<T>): Promise<T> {
  disableDemoMode();
  try {
    return await fn();
  } finally {
    enableDemoMode();
  }
}
