import type { MessagePurpose } from "./catalogue";
import type { EmailView } from "./email-view";

// CAN-SPAM, the EU ePrivacy rules and Gmail/Yahoo's bulk-sender rules all want a
// physical address and a working unsubscribe in every marketing email. Failing to
// render is the safe outcome: a non-compliant email must never go out.

export class EmailComplianceError extends Error {
  constructor(
    readonly templateKey: string,
    readonly missing: "postal_address" | "unsubscribe_link",
    detail: string,
  ) {
    super(`Marketing email "${templateKey}" cannot be rendered: ${detail}`);
    this.name = "EmailComplianceError";
  }
}

export function assertCompliant(templateKey: string, purpose: MessagePurpose, view: EmailView): void {
  if (purpose !== "marketing") return;
  if (view.shop.addressLines.length === 0) {
    throw new EmailComplianceError(
      templateKey,
      "postal_address",
      `shop "${view.shop.name}" has no postal address (street, postcode and city), which every marketing email footer must show. Set it in the shop's settings.`,
    );
  }
  if (!view.links.unsubscribeUrl) {
    throw new EmailComplianceError(templateKey, "unsubscribe_link", "no unsubscribe link was given (links.unsubscribeUrl).");
  }
}
