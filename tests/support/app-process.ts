import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "~/server/db/client.server";
import { freePort } from "./ports";

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
 * the PostgreSQL server named by DATABASE_URL.
 */
export async function startApp(opts: { args?: string[]; env?: Record<string, string> } = {}): Promise<AppProcess> {
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
    ...opts.env,
  };
  delete env.VITEST;
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const child: ChildProcess = spawn(path.resolve("node_modules/.bin/tsx"), ["server.ts", ...(opts.args ?? ["--demo", "--built"])], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not become healthy:\n${out}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    smtpPort,
    databaseUrl,
    output: () => out,
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
