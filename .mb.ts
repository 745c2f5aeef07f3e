import { composeEmail } from "./app/server/channels/email/compose-email.server";
import { renderEmail } from "./app/server/channels/email/render-email.server";
import { signToken } from "./app/server/security/signed-token.server";
const shop: any = { id: "s", domain: "b.myshopify.com", name: "Kawa", installState: "installed", locale: "en", currency: "PLN", primaryDomain: "kawa.example.com", senderEmail: "a@b.c", postalAddress: { address1: "x 1", city: "W", zip: "00" }, branding: {} };
const payload = { recoveryUrl: "https://kawa.example.com/c?k=1", items: [{ title: "A", quantity: 1, price: "1", imageUrl: "https://cdn/a.png", url: "https://kawa.example.com/p/a" }, { title: "B", quantity: 1, price: "1", url: "https://kawa.example.com/p/b" }], discount: { code: "X" }, recommendations: [{ title: "C", url: "https://kawa.example.com/p/c", imageUrl: "https://cdn/c.png" }, { title: "D", url: "https://kawa.example.com/p/d" }] };
const msg: any = { id: "m", shopId: "s", purpose: "marketing", toAddress: "x@y.z", templateKey: "abandoned_checkout_3", payload };
const ctx: any = { shop: { name: "Kawa", url: "https://kawa.example.com", postalAddress: shop.postalAddress }, customer: { firstName: "A" }, links: { unsubscribeUrl: "https://app/u/x", preferencesUrl: "https://app/p/x", recoveryUrl: payload.recoveryUrl }, items: payload.items, discount: payload.discount, recommendations: payload.recommendations };
const cpu = async (fn: () => unknown, n = 2000) => { for (let i = 0; i < 200; i++) await fn(); const c = process.cpuUsage(); for (let i = 0; i < n; i++) await fn(); const u = process.cpuUsage(c); return ((u.user + u.system) / 1000 / n).toFixed(4); };
for (let r = 0; r < 2; r++) {
  console.log("render", await cpu(() => renderEmail({ templateKey: "abandoned_checkout_3", locale: "en", context: ctx })), "compose", await cpu(() => composeEmail(msg, shop, { id: "c", email: "x@y.z", firstName: "A" } as any, null)), "sign", await cpu(() => signToken("click", { shopId: "s", customerId: "c", messageId: "m", url: "https://kawa.example.com/p/a?utm_source=flowmate&utm_medium=email" }), 20000));
}
