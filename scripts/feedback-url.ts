// `npm run feedback-url -- <shop>.myshopify.com` prints the address a shop's mail
// system posts its bounce and complaint reports to; `npm run feedback-url -- --app`
// prints the app's own (for the app's SMTP_URL, shared by every shop). Both are
// signed with TOKEN_SECRET (else the API secret): the same environment as the web process.
import { appBaseUrl, readEnv } from "../app/server/config.server";
import { initDatabase } from "../app/server/db/init.server";
import { ANY_SHOP, feedbackInboxUrl } from "../app/server/security/feedback-tokens.server";

const arg = process.argv[2];
if (!arg) {
  console.error("usage: npm run feedback-url -- <shop>.myshopify.com | --app");
  process.exit(2);
}
if (arg === "--app") {
  console.log(feedbackInboxUrl(ANY_SHOP, appBaseUrl()));
} else {
  const database = await initDatabase(readEnv());
  try {
    const shop = await database.prisma.shop.findUnique({ where: { domain: arg }, select: { id: true } });
    if (!shop) {
      console.error(`no shop ${arg} in this database`);
      process.exitCode = 1;
    } else console.log(feedbackInboxUrl(shop.id, appBaseUrl()));
  } finally {
    await database.close();
  }
}
