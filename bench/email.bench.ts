// Email throughput: the app's send path (render the MJML/Liquid template, sign tracked
// links and the open pixel, add sender identity and List-Unsubscribe headers, send over
// the app's pooled transport) against plain nodemailer sending pre-rendered messages
// through the same pool (the app's transport, called directly). Both send into a local
// SMTP sink (smtp-server in a child process, accepting and discarding) in the same run.
//
// Goal: with a provider that takes 20 ms per message (as real ones do), ours reaches
// >= 0.9x the baseline. The instant sink's ratio is printed too, as information: it
// only measures CPU per message, which no provider lets a sender spend alone.
//
// Ours works the way the dispatcher does (app/server/channels/dispatch.server.ts): a
// claimed batch of 50 is composed one message at a time, ahead of the senders,
// while one send lane per pooled connection takes the next composed message as soon as
// its last one landed (so at most maxConnections messages are ever "sending"); the next
// batch starts when the last send of this one has landed. The dispatcher's database
// round trips (marking "sending", recording the outcome) are not in this figure. The
// baseline keeps 50 sends in flight all the time, with no batch boundary to wait at.
// Run: npm run bench -- email [--quick]
//
// Why rendering is cheap: MJML -> HTML (~15 ms) runs once per template and locale, with
// the Liquid tags left in the HTML; each message renders the parsed, cached template
// with liquidjs (app/server/channels/email/compile-template.server.ts), reusing the
// parts that read nothing per recipient (shared-segments.server.ts).
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Customer, Message, Shop } from "@prisma/client";
import { SMTPServer } from "smtp-server";
import { composeEmail } from "../app/server/channels/email/compose-email.server";
import { SEND_LANES } from "../app/server/channels/dispatch.server";
import { sendEmail } from "../app/server/channels/email/send-email.server";
import { sendThroughLanes } from "../app/server/channels/send-lanes.server";
import { closeMailTransport, mailTransport, POOL_OPTIONS } from "../app/server/channels/email/transport.server";
import { isQuick, median, note, report, roundRatios, timeIt } from "./support/report";

const BENCH = "email";
const MESSAGES = isQuick() ? 1_000 : 10_000;
/** With the provider's delay waiting dominates, so fewer messages give a stable figure (but 250 did not). */
const PROVIDER_MESSAGES = isQuick() ? 1_000 : 2_500;
const WARMUP = isQuick() ? 200 : 1_000;
const ROUNDS = 3;
const PROVIDER_LATENCY_MS = 20;
/** The goal, at PROVIDER_LATENCY_MS: ours / the baseline, median of the paired rounds. */
const GOAL_RATIO = 0.9;
/** The dispatcher's claim (ours) and the baseline's sends in flight. */
const CONCURRENCY = 50;

// --- the sink (child process) ---------------------------------------------------

type SinkRequest = { type: "count" };
type SinkReply = { type: "listening"; port: number } | { type: "count"; count: number };

function runSink(latencyMs: number): void {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        count++;
        if (latencyMs > 0) setTimeout(callback, latencyMs);
        else callback();
      });
      stream.resume();
    },
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.server.address();
    process.send!({ type: "listening", port: typeof address === "object" && address ? address.port : 0 } satisfies SinkReply);
  });
  process.on("message", (m: SinkRequest) => {
    if (m.type === "count") process.send!({ type: "count", count } satisfies SinkReply);
  });
  process.on("disconnect", () => process.exit(0));
}

interface Sink {
  url: string;
  count: () => Promise<number>;
  stop: () => void;
}

async function startSink(latencyMs: number): Promise<Sink> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--sink", String(latencyMs)], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const next = <T extends SinkReply["type"]>(type: T) =>
    new Promise<Extract<SinkReply, { type: T }>>((resolve) => {
      const on = (m: SinkReply) => {
        if (m.type !== type) return;
        child.off("message", on);
        resolve(m as Extract<SinkReply, { type: T }>);
      };
      child.on("message", on);
    });
  const { port } = await next("listening");
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: async () => {
      const reply = next("count");
      child.send({ type: "count" } satisfies SinkRequest);
      return (await reply).count;
    },
    stop: () => child.kill(),
  };
}

// --- the message --------------------------------------------------------------

const at = new Date("2026-11-20T10:00:00Z");
const shop = {
  id: "shop_bench",
  domain: "bench.myshopify.com",
  name: "Kawa & Co.",
  installState: "installed",
  locale: "en",
  currency: "PLN",
  primaryDomain: "kawa.example.com",
  senderName: "Kawa & Co.",
  senderEmail: "hello@kawa.example.com",
  replyTo: "support@kawa.example.com",
  postalAddress: { company: "Kawa & Co. Sp. z o.o.", address1: "ul. Prosta 12", city: "Warszawa", zip: "00-850", countryCodeV2: "PL" },
  branding: { primaryColor: "#6f4e37", accentColor: "#ffb300" },
} as unknown as Shop;

const payload = {
  flowKey: "abandoned_checkout",
  recoveryUrl: "https://kawa.example.com/checkouts/c1/recover?key=abc",
  items: [
    {
      title: "Ethiopia Yirgacheffe 250 g",
      quantity: 2,
      price: "54.00",
      imageUrl: "https://cdn.example.com/yirgacheffe.png",
      url: "https://kawa.example.com/products/yirgacheffe",
    },
    {
      title: "Gooseneck Kettle",
      quantity: 1,
      price: "219.00",
      imageUrl: "https://cdn.example.com/kettle.png",
      url: "https://kawa.example.com/products/kettle",
    },
  ],
  discount: { code: "WRACAJ15", kind: "percentage" as const, value: 15, expiresAt: "2026-12-24" },
  recommendations: [
    {
      title: "Hand Grinder Steel",
      price: "289.00",
      imageUrl: "https://cdn.example.com/grinder.png",
      url: "https://kawa.example.com/products/grinder",
    },
    { title: "Ceramic Mug", price: "45.00", imageUrl: "https://cdn.example.com/mug.png", url: "https://kawa.example.com/products/mug" },
  ],
};

function customerAndMessage(i: number): { customer: Customer; message: Message } {
  const email = `shopper${i}@example.com`;
  const customer = {
    id: `cust_${i}`,
    shopId: shop.id,
    email,
    firstName: `Anna${i}`,
    lastName: "Nowak",
    locale: i % 2 ? "pl" : "en",
    properties: null,
  } as unknown as Customer;
  const message = {
    id: `msg_${i}`,
    shopId: shop.id,
    customerId: customer.id,
    channel: "email",
    purpose: "marketing",
    toAddress: email,
    templateKey: "abandoned_checkout_3",
    locale: "en",
    payload,
    attempts: 0,
    createdAt: at,
  } as unknown as Message;
  return { customer, message };
}

// --- measurement --------------------------------------------------------------

type SendOne = (i: number) => Promise<void>;
/** Sends `count` messages numbered from `first`. */
type SendMany = (first: number, count: number) => Promise<void>;
let sequence = 0;

/** Messages per second, and this process's CPU milliseconds per message. */
async function run(send: SendMany, count: number): Promise<{ rate: number; cpuMs: number }> {
  const first = sequence;
  sequence += count;
  const cpu = process.cpuUsage();
  const { ms } = await timeIt(() => send(first, count));
  const used = process.cpuUsage(cpu);
  return { rate: count / (ms / 1000), cpuMs: (used.user + used.system) / 1000 / count };
}

/** `send` with CONCURRENCY messages in flight at all times. */
function continuously(send: SendOne): SendMany {
  return async (first, count) => {
    let next = first;
    const end = first + count;
    const worker = async () => {
      while (next < end) await send(next++);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
}

/** As the dispatcher: per claimed batch, compose ahead while one lane per connection sends. */
const ours: SendMany = async (first, count) => {
  for (let start = first; start < first + count; start += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, first + count - start) }, (_, k) => start + k);
    await sendThroughLanes(batch, {
      lanes: SEND_LANES,
      ahead: CONCURRENCY,
      prepare: async (i) => {
        const { customer, message } = customerAndMessage(i);
        return composeEmail(message, shop, customer);
      },
      send: async (email) => {
        const result = await sendEmail(email.mail);
        if (!result.ok) throw new Error(`send failed: ${result.failure.reason}`);
      },
    });
  }
};

/**
 * Plain nodemailer through the same pool (the app's transport, its sendMail called
 * directly), sending messages rendered ahead of time (only the recipient changes): the
 * English and the Polish one, alternating as ours do, since Polish letters make the
 * MIME encoding more work.
 */
async function plainNodemailer(): Promise<SendMany> {
  const templates = await Promise.all(
    [0, 1].map(async (i) => (await composeEmail(customerAndMessage(i).message, shop, customerAndMessage(i).customer)).mail),
  );
  return continuously(async (i) => {
    const template = templates[i % 2]!;
    const to = `shopper${i}@example.com`;
    await mailTransport().sendMail({
      ...template,
      to,
      envelope: { from: template.envelope.from, to: [to] },
      messageId: `<msg_${i}@flowmate.bench>`,
    });
  });
}

/** `goal`: the ratio this run must reach; without one the figure is information. */
async function compare(latencyMs: number, metric: string, messages: number, goal?: number): Promise<void> {
  const sink = await startSink(latencyMs);
  process.env.SMTP_URL = sink.url;
  closeMailTransport();
  const sides = [
    { label: "app (batches of 50: render + track ahead, one send lane per connection)", send: ours, rates: [] as number[] },
    { label: "nodemailer pooled, pre-rendered", send: await plainNodemailer(), rates: [] as number[] },
  ];
  try {
    for (const side of sides) await run(side.send, WARMUP);
    for (let round = 0; round < ROUNDS; round++) {
      for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
        const before = await sink.count();
        const { rate, cpuMs } = await run(side.send, messages);
        const arrived = (await sink.count()) - before;
        if (arrived !== messages) throw new Error(`${side.label}: the sink received ${arrived} messages, expected ${messages}`);
        side.rates.push(rate);
        note(
          `sink latency ${latencyMs} ms, round ${round + 1}: ${side.label}: ${Math.round(rate)} messages/s, ${cpuMs.toFixed(2)} ms CPU per message`,
        );
      }
    }
    const [app, baseline] = sides as [(typeof sides)[0], (typeof sides)[0]];
    // Each round ran both sides back to back: the ratio is the median of the rounds' ratios.
    const ratios = roundRatios(app.rates, baseline.rates, true);
    note(`per-round ratios: ${ratios.map((r) => r.toFixed(3)).join(", ")}`);
    const { ratio } = report({
      bench: BENCH,
      metric,
      value: median(app.rates),
      unit: "messages/s",
      baseline: "nodemailer pooled sendMail, pre-rendered, same pool",
      baseline_value: median(baseline.rates),
      higherIsBetter: true,
      pairedRatios: ratios,
    });
    note(
      goal === undefined
        ? `sink latency ${latencyMs} ms: ratio ${ratio}, information (no goal)`
        : `sink latency ${latencyMs} ms: goal ratio >= ${goal}: ${ratio >= goal ? "met" : "NOT met"} (${ratio})`,
    );
  } finally {
    closeMailTransport();
    sink.stop();
  }
}

async function main(): Promise<void> {
  // The app's own credentials, as a deployment has them: links in messages are signed and
  // point at the app's URL (the app refuses to guess them outside the demo).
  process.env.SHOPIFY_API_KEY ??= "bench-key";
  process.env.SHOPIFY_API_SECRET ??= "bench-secret";
  process.env.SHOPIFY_APP_URL ??= "https://flowmate.bench";
  const compose = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const { customer, message } = customerAndMessage(i);
      await composeEmail(message, shop, customer);
    }
  };
  await compose(200); // compiles the templates and warms the JIT
  const renderMs = (await timeIt(() => compose(500))).ms / 500;
  note(
    `${MESSAGES} messages per run (${PROVIDER_MESSAGES} with provider latency), ${CONCURRENCY} in flight, pool of ${POOL_OPTIONS.maxConnections} connections, ${ROUNDS} round(s); composing alone (render + links): ${renderMs.toFixed(3)} ms/message`,
  );
  await compare(PROVIDER_LATENCY_MS, `messages_per_s_provider_latency_${PROVIDER_LATENCY_MS}ms`, PROVIDER_MESSAGES, GOAL_RATIO);
  await compare(0, "messages_per_s", MESSAGES);
}

const sinkAt = process.argv.indexOf("--sink");
if (sinkAt !== -1) runSink(Number(process.argv[sinkAt + 1] ?? 0));
else await main();
