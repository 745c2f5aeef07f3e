import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "~/server/db/client.server";
import { freePort } from "./ports";

// The one place the end-to-end tests start the app (server.ts, worker.ts) as a process
// of its own: how it is launched, its output kept for failure messages, how it is
// stopped. startApp is a running web server (free ports, its own database, ready once
// /healthz answers); runEntry runs an entry point to its exit (a start that must fail).

interface EntryExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface EntryProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output: () => string;
  /** Settles when the process has exited. */
  exited: Promise<EntryExit>;
}

/**
 * Starts `file` (server.ts, worker.ts) in a process of its own through the tsx CLI, as
 * `npm run demo` does; `env` is its whole environment (nothing else is inherited).
 */
function spawnEntry(file: string, opts: { args?: string[]; env: Record<string, string | undefined> }): EntryProcess {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), [file, ...(opts.args ?? [])], {
    env: opts.env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const exited = new Promise<EntryExit>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  return { child, output: () => out, exited };
}

/** Runs `file` until it exits (SIGKILLed after `timeoutMs`): its exit code and output. */
export async function runEntry(
  file: string,
  env: Record<string, string | undefined>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; out: string }> {
  const entry = spawnEntry(file, { env });
  const timer = setTimeout(() => entry.child.kill("SIGKILL"), timeoutMs);
  const { code } = await entry.exited;
  clearTimeout(timer);
  return { code, out: entry.output() };
}

export interface AppProcess {
  url: string;
  port: number;
  smtpPort: number;
  /** The PostgreSQL database it runs on (a test may write to it while the app runs); undefined on PGlite. */
  databaseUrl?: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts the real server (server.ts) as its own process, the way `npm run demo` does,
 * on free ports with its own database: a temp PGlite directory, or a fresh database on
 * the PostgreSQL server named by DATABASE_URL. Resolves once /healthz answers 200;
 * fails with the server's output if it exits first or is not healthy within 90 s.
 */
export async function startApp(
  opts: { args?: string[]; env?: Record<string, string>; /** default 90 s */ healthyWithinMs?: number } = {},
): Promise<AppProcess> {
  const port = await freePort();
  const smtpPort = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flowmate-app-"));
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `app_${crypto.randomBytes(5).toString("hex")}`;
    const admin = await openDatabase({ url: process.env.DATABASE_URL, poolSize: 1 });
    await admin.query(`CREATE DATABASE ${name}`);
    const u = new URL(process.env.DATABASE_URL);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.close();
    };
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "development",
    PORT: String(port),
    SMTP_SINK_PORT: String(smtpPort),
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.APP_LOG_LEVEL ?? "warn",
    // The demo's generated months of history take minutes; a test that wants them says DEMO_HISTORY: "on".
    DEMO_HISTORY: "off",
    ...opts.env,
  };
  delete env.VITEST;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const { child, output } = spawnEntry("server.ts", { args: opts.args ?? ["--demo", "--built"], env });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.healthyWithinMs ?? 90_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${output()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    smtpPort,
    databaseUrl,
    output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await dropDb?.();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
