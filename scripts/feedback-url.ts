// `npm run feedback-url -- <shop>.myshopify.com` prints the address a shop's mail
// system posts its bounce and complaint reports to; `npm run feedback-url -- --app`
// prints the app's own (for the app's SMTP_URL, shared by every shop). Both are
// signed with TOKEN_SECRET (else the API secret): the same environment as the web process.
// A shop's address is its current one: after "New address" (Settings -> Sending) the old one is refused.
import { appBaseUrl, readEnv } from "../app/server/config.server";
import { initDatabase } from "../app/server/db/init.server";
import { loadFeedbackAddress } from "../app/server/admin/feedback-address.server";
import { ANY_SHOP, feedbackInboxUrl } from "../app/server/security/feedback-tokens.server";

const arg = process.argv[2];
if (!arg) {
  console.error("usage: npm run feedback-url -- <shop>.myshopify.com | --app");
  process.exit(2);
}
if (arg === "--app") {
  console.log(feedbackInboxUrl(ANY_SHOP, 0, appBaseUrl()));
} else {
  const database = await initDatabase(readEnv());
  try {
    const shop = await database.prisma.shop.findUnique({ where: { domain: arg }, select: { id: true, timezone: true } });
    if (!shop) {
      console.error(`no shop ${arg} in this database`);
      process.exitCode = 1;
    } else console.log((await loadFeedbackAddress(shop, appBaseUrl())).url);
  } finally {
    await database.close();
  }
}
