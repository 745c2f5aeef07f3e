import { boundedMemo } from "../shared/bounded-memo";

// UTM parameters on every tracked link: Shopify stores the landing URL on the order
// (landing_site), which is how a purchase is tied back to the email that caused it.

export interface UtmTags {
  /** The flow key (welcome, abandoned_checkout...) or, for one-off sends, the template key. */
  campaign: string;
  /** The template key, so variants and steps of one flow can be told apart. */
  content: string;
}

export function withUtm(destination: string, tags: UtmTags, medium: "email" | "sms" = "email"): string {
  return tagged(destination, tags.campaign, tags.content, medium);
}

const tagged = boundedMemo((destination: string, campaign: string, content: string, medium: string) =>
  addUtm(destination, { campaign, content }, medium),
);

function addUtm(destination: string, tags: UtmTags, medium: string): string {
  let url: URL;
  try {
    url = new URL(destination);
  } catch {
    return destination;
  }
  // Ours replace any existing utm_* values: attribution must see this message, not an older campaign.
  // One URLSearchParams and one serialisation: each searchParams.set on the URL re-serialises it.
  const params = new URLSearchParams(url.search);
  params.set("utm_source", "flowmate");
  params.set("utm_medium", medium);
  params.set("utm_campaign", tags.campaign);
  params.set("utm_content", tags.content);
  url.search = params.toString();
  return url.toString();
}
