// Email throughput: the app's per-message send path (render the MJML/Liquid template,
// sign tracked links and the open pixel, add sender identity and List-Unsubscribe
// headers, send over the app's pooled transport) against plain nodemailer sending one
// pre-rendered message with the same pool settings. Both send into a local SMTP sink
// (smtp-server in a child process, accepting and discarding) in the same run.
// Run: npm run bench -- email [--quick]
//
// Why rendering is cheap: MJML -> HTML (~15 ms) runs once per template and locale, with
// the Liquid tags left in the HTML; each message only renders Liquid on the parsed,
// cached template (app/server/channels/email/compile-template.server.ts).
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Customer, Message, Shop } from "@prisma/client";
import nodemailer, { type SendMailOptions, type Transporter } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { composeEmail } from "../app/server/channels/email/compose-email.server";
import { renderEmail } from "../app/server/channels/email/render-email.server";
import { sendEmail } from "../app/server/channels/email/send-email.server";
import { closeMailTransport, POOL_OPTIONS } from "../app/server/channels/email/transport.server";
import { isQuick, median, note, report, timeIt } from "./support/report";

const BENCH = "email";
const MESSAGES = isQuick() ? 1_000 : 10_000;
const WARMUP = isQuick() ? 200 : 1_000;
const ROUNDS = isQuick() ? 1 : 3;
/** In-flight sends, as the dispatcher has a claimed batch of 50 in flight. */
const CONCURRENCY = 50;

// --- the sink (child process) ---------------------------------------------------

type SinkRequest = { type: "count" };
type SinkReply = { type: "listening"; port: number } | { type: "count"; count: number };

function runSink(): void {
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    maxClients: 100,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        count++;
        callback();
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

function startSink(): Promise<{ port: number; count: () => Promise<number>; stop: () => void }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ["--sink"], { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const next = <T extends SinkReply["type"]>(type: T) =>
    new Promise<Extract<SinkReply, { type: T }>>((resolve) => {
      const on = (m: SinkReply) => {
        if (m.type !== type) return;
        child.off("message", on);
        resolve(m as Extract<SinkReply, { type: T }>);
      };
      child.on("message", on);
    });
  return next("listening").then(({ port }) => ({
    port,
    count: async () => {
      const reply = next("count");
      child.send({ type: "count" } satisfies SinkRequest);
      return (await reply).count;
    },
    stop: () => child.kill(),
  }));
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
    { title: "Ethiopia Yirgacheffe 250 g", quantity: 2, price: "54.00", imageUrl: "https://cdn.example.com/yirgacheffe.png", url: "https://kawa.example.com/products/yirgacheffe" },
    { title: "Gooseneck Kettle", quantity: 1, price: "219.00", imageUrl: "https://cdn.example.com/kettle.png", url: "https://kawa.example.com/products/kettle" },
  ],
  discount: { code: "WRACAJ15", kind: "percentage" as const, value: 15, expiresAt: "2026-12-24" },
  recommendations: [
    { title: "Hand Grinder Steel", price: "289.00", imageUrl: "https://cdn.example.com/grinder.png", url: "https://kawa.example.com/products/grinder" },
    { title: "Ceramic Mug", price: "45.00", imageUrl: "https://cdn.example.com/mug.png", url: "https://kawa.example.com/products/mug" },
  ],
};

function customerAndMessage(i: number): { customer: Customer; message: Message } {
  const email = `shopper${i}@example.com`;
  const customer = { id: `cust_${i}`, shopId: shop.id, email, firstName: `Anna${i}`, lastName: "Nowak", locale: i % 2 ? "pl" : "en", properties: null } as unknown as Customer;
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

/** Messages per second, and this process's CPU milliseconds per message. */
async function run(send: SendOne, count: number, offset: number): Promise<{ rate: number; cpuMs: number }> {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(offset + next++);
  };
  const cpu = process.cpuUsage();
  const { ms } = await timeIt(() => Promise.all(Array.from({ length: CONCURRENCY }, worker)));
  const used = process.cpuUsage(cpu);
  return { rate: count / (ms / 1000), cpuMs: (used.user + used.system) / 1000 / count };
}

async function main(): Promise<void> {
  const sink = await startSink();
  const url = `smtp://127.0.0.1:${sink.port}`;
  process.env.SMTP_URL = url;
  closeMailTransport();

  const ours: SendOne = async (i) => {
    const { customer, message } = customerAndMessage(i);
    const email = await composeEmail(message, shop, customer);
    const result = await sendEmail(email.mail);
    if (!result.ok) throw new Error(`send failed: ${result.failure.reason}`);
  };

  // The baseline sends one message rendered ahead of time, changing only the recipient.
  const template = (await composeEmail(customerAndMessage(0).message, shop, customerAndMessage(0).customer)).mail;
  const plain: Transporter = nodemailer.createTransport({ url, ...POOL_OPTIONS, ignoreTLS: true } as Parameters<typeof nodemailer.createTransport>[0]);
  const baseline: SendOne = async (i) => {
    const to = `shopper${i}@example.com`;
    await plain.sendMail({ ...template, to, envelope: { from: template.envelope.from, to: [to] }, messageId: `<msg_${i}@flowmate.bench>` } as SendMailOptions);
  };

  const renderMs = (await timeIt(async () => {
    for (let i = 0; i < 500; i++) await renderEmail({ templateKey: "abandoned_checkout_3", locale: i % 2 ? "pl" : "en", context: { shop: { name: "Kawa", postalAddress: shop.postalAddress as never }, links: { unsubscribeUrl: "https://a.example/u/x" }, ...payload } });
  })).ms / 500;
  note(`${MESSAGES} messages per run, ${CONCURRENCY} in flight, pool ${POOL_OPTIONS.maxConnections} connections, ${ROUNDS} round(s); renderEmail alone: ${renderMs.toFixed(3)} ms/message`);

  let sent = 0;
  const sides = [
    { label: "app (render + track + send)", send: ours, rates: [] as number[] },
    { label: "nodemailer pooled, pre-rendered", send: baseline, rates: [] as number[] },
  ];
  for (const side of sides) {
    await run(side.send, WARMUP, sent);
    sent += WARMUP;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
      const before = await sink.count();
      const { rate, cpuMs } = await run(side.send, MESSAGES, sent);
      sent += MESSAGES;
      const arrived = (await sink.count()) - before;
      if (arrived !== MESSAGES) throw new Error(`${side.label}: the sink received ${arrived} messages, expected ${MESSAGES}`);
      side.rates.push(rate);
      note(`round ${round + 1}: ${side.label}: ${Math.round(rate)} messages/s, ${cpuMs.toFixed(2)} ms CPU per message`);
    }
  }
  const [app, plainSide] = sides as [(typeof sides)[0], (typeof sides)[0]];
  report({
    bench: BENCH,
    metric: "messages_per_s",
    value: median(app.rates),
    unit: "messages/s",
    baseline: "nodemailer pooled sendMail, pre-rendered",
    baseline_value: median(plainSide.rates),
    higherIsBetter: true,
  });
  plain.close();
  closeMailTransport();
  sink.stop();
}

if (process.argv.includes("--sink")) runSink();
else await main();
