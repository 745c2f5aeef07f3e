/** @jsxImportSource preact */
// The product recommendations grid: one GET through the app proxy, then a grid of
// cards, or nothing at all (no product, HTTP error, bad JSON, empty list).
import { Component } from "preact";
import { attr } from "./dom";
import { M, stringsFor } from "./i18n";
import { formatPrice } from "./validate";

export interface RecommendationsConfig {
  id: string;
  proxy: string;
  locale: string;
  productId: string;
  limit: number;
  heading: string;
}

export interface RecommendedProduct {
  id: number;
  title: string;
  handle: string;
  url: string;
  imageUrl: string | null;
  price: string;
  currency: string;
}

export function readRecommendationsConfig(el: HTMLElement): RecommendationsConfig {
  return {
    id: el.id || "fm-recs",
    proxy: attr(el, "proxy"),
    locale: attr(el, "locale") || "en",
    productId: attr(el, "product-id"),
    limit: Math.min(12, Number(attr(el, "limit")) || 4),
    heading: attr(el, "heading"),
  };
}

/** Intrinsic size hint for the square card image (the CSS makes it fluid). */
const IMAGE_SIZE = 480;

function isProduct(p: unknown): p is RecommendedProduct {
  return !!p && !!(p as RecommendedProduct).url;
}

export class Recommendations extends Component<{ cfg: RecommendationsConfig }, { products: RecommendedProduct[] }> {
  state = { products: [] as RecommendedProduct[] };

  componentDidMount() {
    const { cfg } = this.props;
    if (!cfg.productId) return;
    const url = cfg.proxy + "/recommendations?product_id=" + encodeURIComponent(cfg.productId) + "&limit=" + cfg.limit;
    fetch(url)
      .then((res) => (res.ok ? res.json() : {}))
      .then((data: { products?: unknown }) => {
        if (Array.isArray(data.products)) this.setState({ products: data.products.filter(isProduct).slice(0, cfg.limit) });
      })
      // Recommendations are optional: on any failure (HTTP error, bad JSON) the block stays empty.
      .catch(() => {});
  }

  render({ cfg }: { cfg: RecommendationsConfig }, { products }: { products: RecommendedProduct[] }) {
    if (!products.length) return null;
    const headingId = cfg.id + "-heading";
    return (
      <section class="fm-recs" aria-labelledby={headingId}>
        <h2 id={headingId}>
          {cfg.heading || stringsFor(cfg.locale)[M.recommendationsHeading]}
        </h2>
        <ul role="list">
          {products.map((p) => (
            <li key={p.id}>
              <a href={p.url}>
                <span class="fm-media">
                  {p.imageUrl && (
                    <img src={p.imageUrl} alt="" width={IMAGE_SIZE} height={IMAGE_SIZE} loading="lazy" decoding="async" />
                  )}
                </span>
                <span class="fm-name">{p.title}</span>
                <span class="fm-price">{formatPrice(p.price, p.currency, cfg.locale)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
    );
  }
}
