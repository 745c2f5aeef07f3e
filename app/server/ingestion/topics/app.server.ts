import { ScopesUpdatePayload } from "~/domain/capture/shopify-payloads";
import { parsePayload } from "./parse";
import type { TopicContext } from "./types";

/** app/uninstalled: stop everything for the shop; its data waits for shop/redact. */
export async function handleUninstalled({ tx, shop, at }: TopicContext): Promise<void> {
  await tx.shop.update({ where: { id: shop.id }, data: { installState: "uninstalled", uninstalledAt: at } });
  await tx.session.deleteMany({ where: { shop: shop.domain } });
  await tx.flow.updateMany({ where: { shopId: shop.id, status: "on" }, data: { status: "paused" } });
  await tx.auditLog.create({ data: { shopId: shop.id, actor: "shopify", action: "app.uninstalled", at } });
}

/** app/scopes_update. */
export async function handleScopesUpdate({ tx, shop, payload, at }: TopicContext): Promise<void> {
  const p = parsePayload(ScopesUpdatePayload, payload);
  await tx.shop.update({ where: { id: shop.id }, data: { scopes: p.current.join(",") } });
  await tx.session.updateMany({ where: { shop: shop.domain }, data: { scope: p.current.join(",") } });
  await tx.auditLog.create({
    data: { shopId: shop.id, actor: "shopify", action: "app.scopes_updated", details: { scopes: p.current }, at },
  });
}
