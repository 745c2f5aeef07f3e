import type { WebhookTopic } from "../webhook-topics";
import { handleScopesUpdate, handleUninstalled } from "./app.server";
import { handleCart, handleCheckout } from "./checkouts.server";
import { handleCustomer, handleCustomerDelete, handleEmailConsent, handleSmsConsent } from "./customers.server";
import { handleFulfillment } from "./fulfillments.server";
import { handleOrder } from "./orders.server";
import { handleCustomerRedact, handleDataRequest, handleShopRedact } from "./privacy.server";
import { handleProduct, handleProductDelete } from "./products.server";
import { handleRefund } from "./refunds.server";
import type { TopicHandler } from "./types";

export const TOPIC_HANDLERS: Record<WebhookTopic, TopicHandler> = {
  "app/uninstalled": handleUninstalled,
  "app/scopes_update": handleScopesUpdate,
  "orders/create": handleOrder,
  "orders/updated": handleOrder,
  "orders/cancelled": handleOrder,
  "refunds/create": handleRefund,
  "checkouts/create": handleCheckout,
  "checkouts/update": handleCheckout,
  "carts/create": handleCart,
  "carts/update": handleCart,
  "customers/create": handleCustomer,
  "customers/update": handleCustomer,
  "customers/delete": handleCustomerDelete,
  "customers_email_marketing_consent/update": handleEmailConsent,
  "customers_marketing_consent/update": handleSmsConsent,
  "products/create": handleProduct,
  "products/update": handleProduct,
  "products/delete": handleProductDelete,
  "fulfillments/create": handleFulfillment,
  "fulfillments/update": handleFulfillment,
  "customers/data_request": handleDataRequest,
  "customers/redact": handleCustomerRedact,
  "shop/redact": handleShopRedact,
};
