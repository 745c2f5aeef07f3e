import { SMTPServer } from "smtp-server";
import { composeEmail } from "./app/server/channels/email/compose-email.server";
import { sendEmail } from "./app/server/channels/email/send-email.server";
import { closeMailTransport } from "./app/server/channels/email/transport.server";
const server = new SMTPServer({ authOptional: true, disabledCommands: ["STARTTLS", "AUTH"], logger: false, onData(s, _x, cb) { s.on("end", () => cb()); s.resume(); } });
await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
process.env.SMTP_URL = `smtp://127.0.0.1:${(server.server.address() as any).port}`;
closeMailTransport();
const shop: any = { id: "s", domain: "b.myshopify.com", name: "Kawa", installState: "installed", locale: "en", currency: "PLN", primaryDomain: "kawa.example.com", senderEmail: "a@b.c", postalAddress: { address1: "x 1", city: "W", zip: "00" }, branding: {} };
const payload = { recoveryUrl: "https://kawa.example.com/c?k=1", items: [{ title: "A", quantity: 1, price: "1", imageUrl: "https://cdn/a.png", url: "https://kawa.example.com/p/a" }, { title: "B", quantity: 1, price: "1", url: "https://kawa.example.com/p/b" }], discount: { code: "X" }, recommendations: [{ title: "C", url: "https://kawa.example.com/p/c", imageUrl: "https://cdn/c.png" }, { title: "D", url: "https://kawa.example.com/p/d" }] };
const mode = process.argv[2];
let i = 0;
const t = performance.now();
await Promise.all(Array.from({ length: 50 }, async () => {
  while (i < 3000) {
    const n = i++;
    const msg: any = { id: "m" + n, shopId: "s", purpose: "marketing", toAddress: `x${n}@y.z`, templateKey: "abandoned_checkout_3", payload };
    const { mail } = await composeEmail(msg, shop, { id: "c" + n, email: `x${n}@y.z`, firstName: "A" } as any, null);
    if (mode !== "compose") await sendEmail(mail);
  }
}));
console.log(mode, 3000 / ((performance.now() - t) / 1000), "msg/s");
closeMailTransport(); server.close();
