import { shopLinkOrHome, type ShopLinkPolicy } from "~/domain/messages/shop-links";
import { withUtm, type UtmTags } from "~/domain/messages/utm";
import { clickTracker, openPixelUrl, type LinkEnv, type RecipientRef } from "../../security/message-links.server";

// Click tracking: each http(s) link becomes a signed redirect through the app, with
// UTM tags added to the destination before signing. Links into the app itself
// (unsubscribe, preferences, opt-in confirmation) are left alone: wrapping them would
// only add a hop, and a scanner "clicking" them must not count as engagement.
// Every other link must lead to the shop's own domains (the shop's link policy): one
// that does not is replaced by the shop's home page before it is signed.

export interface TrackingOptions {
  ref: RecipientRef;
  utm: UtmTags;
  env: LinkEnv;
  /** The shop's domains; absent only for mail that is not the shop's (none today). */
  shopLinks?: ShopLinkPolicy;
}

const ANCHOR_HREF_OR_BODY_END = /(<a\b[^>]*?\shref=")(https?:\/\/[^"]+)(")|<\/body>/gi;
const TEXT_URL = /https?:\/\/[^\s<>"]+/g;

/**
 * Rewrites the links of one message's parts. One tracker per message: a destination
 * that appears several times (an item and the button, the HTML and the text part) is
 * signed once.
 */
export function linkTracker(opts: TrackingOptions) {
  const wrap = wrapper(opts);
  return {
    /**
     * Tracked links and, in the same pass over the HTML, the open pixel before the
     * (last) </body>: last in the body, so a clipped (Gmail > 102 KB) email shows no
     * broken image.
     */
    html: (html: string) => {
      const pixel = openPixelTag(opts.ref, opts.env);
      const lastBody = html.lastIndexOf("</body>");
      const out = html.replace(
        ANCHOR_HREF_OR_BODY_END,
        (whole, before: string | undefined, href: string | undefined, after: string | undefined, offset: number) => {
          if (before === undefined) return offset === lastBody ? pixel + whole : whole;
          return `${before}${escapeAttr(wrap(unescapeAttr(href!)))}${after}`;
        },
      );
      return lastBody === -1 ? out + pixel : out;
    },
    text: (text: string) => text.replace(TEXT_URL, (url) => wrap(url)),
  };
}

function openPixelTag(ref: RecipientRef, env: LinkEnv): string {
  return `<img src="${openPixelUrl(ref, env)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0;" />`;
}

function wrapper(opts: TrackingOptions): (url: string) => string {
  const own = opts.env.base.replace(/\/+$/, "") + "/";
  const memo = new Map<string, string>();
  const track = clickTracker(opts.ref, opts.env);
  const policy = opts.shopLinks;
  return (url) => {
    if (url.startsWith(own)) return url;
    let tracked = memo.get(url);
    if (!tracked) memo.set(url, (tracked = track(withUtm(policy ? shopLinkOrHome(url, policy) : url, opts.utm))));
    return tracked;
  };
}

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'", "&#x27;": "'" };

function unescapeAttr(value: string): string {
  return value.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (e) => ENTITIES[e] ?? e);
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
