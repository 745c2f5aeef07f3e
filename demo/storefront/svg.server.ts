// Product photos for the demo shop: a flat illustration per product, drawn in the
// product's colour from seed/demo-shop.ts. Static markup only (no scripts, no external refs).
import type { DemoProduct } from "../seed/demo-shop";

type Rgb = [number, number, number];

function parseHex(hex: string): Rgb {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  const n = m ? parseInt(m[1]!, 16) : 0x888888;
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex([r, g, b]: Rgb): string {
  return (
    "#" +
    [r, g, b]
      .map((v) =>
        Math.round(Math.min(255, Math.max(0, v)))
          .toString(16)
          .padStart(2, "0"),
      )
      .join("")
  );
}

/** Linear mix: weight 0 is `a`, 1 is `b`. */
function mix(a: string, b: string, weight: number): string {
  const x = parseHex(a);
  const y = parseHex(b);
  return toHex([0, 1, 2].map((i) => x[i]! + (y[i]! - x[i]!) * weight) as Rgb);
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = parseHex(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Palette {
  main: string;
  dark: string;
  light: string;
  bg: string;
  ink: string;
}

function palette(color: string): Palette {
  const light = luminance(color) > 0.7;
  return {
    main: color,
    dark: mix(color, "#1b1410", light ? 0.35 : 0.38),
    light: mix(color, "#ffffff", 0.45),
    // A pale product gets a warm, darker backdrop so it does not vanish into it.
    bg: light ? mix(color, "#8d6e63", 0.3) : mix(color, "#ffffff", 0.86),
    ink: luminance(color) > 0.35 ? "#2b211c" : "#ffffff",
  };
}

const FONT = `font-family="Helvetica Neue, Helvetica, Arial, sans-serif"`;

function shadow(cx: number, cy: number, rx: number): string {
  return `<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${Math.round(rx * 0.14)}" fill="#000" opacity=".12"/>`;
}

function bean(cx: number, cy: number, fill: string, scale = 1): string {
  return `<g transform="translate(${cx} ${cy}) rotate(-30) scale(${scale})"><ellipse rx="11" ry="16" fill="${fill}"/><path d="M0-14C-6-5 6 5 0 14" stroke="#fffdf8" stroke-width="2.5" fill="none" stroke-linecap="round"/></g>`;
}

function coffeeBag(p: Palette, product: DemoProduct): string {
  const words = product.title.split(" ");
  const weight = /(\d+\s?k?g)$/i.exec(product.title)?.[1] ?? "";
  const origin = (words[0] ?? "").toUpperCase();
  const second = words.length > 2 && !/^\d/.test(words[1] ?? "") ? (words[1] ?? "").toUpperCase() : "";
  return `${shadow(240, 404, 120)}
<path d="M148 138h184l16 250c1 10-5 16-14 16H146c-9 0-15-6-14-16z" fill="${p.main}"/>
<path d="M148 138h184l2 28H146z" fill="${p.dark}" opacity=".35"/>
<rect x="142" y="108" width="196" height="34" rx="5" fill="${p.dark}"/>
<path d="M142 118h196M142 130h196" stroke="${p.main}" stroke-width="2" opacity=".5"/>
<circle cx="240" cy="172" r="8" fill="${p.dark}"/><circle cx="240" cy="172" r="3" fill="${p.light}"/>
<rect x="166" y="206" width="148" height="150" rx="10" fill="#fffdf8"/>
${bean(240, 238, p.main, 0.9)}
<text x="240" y="289" text-anchor="middle" ${FONT} font-size="${origin.length > 8 ? 19 : 22}" font-weight="700" letter-spacing="2" fill="#2b211c">${esc(origin)}</text>
<text x="240" y="312" text-anchor="middle" ${FONT} font-size="13" letter-spacing="3" fill="#6d5d54">${esc(second)}</text>
<text x="240" y="338" text-anchor="middle" ${FONT} font-size="15" font-weight="600" fill="${p.dark}">${esc(weight)}</text>`;
}

function grinder(p: Palette): string {
  return `${shadow(240, 404, 90)}
<rect x="192" y="196" width="96" height="204" rx="16" fill="${p.main}"/>
<rect x="192" y="300" width="96" height="14" fill="${p.dark}" opacity=".45"/>
<rect x="204" y="206" width="14" height="180" rx="7" fill="#fff" opacity=".22"/>
<rect x="186" y="178" width="108" height="26" rx="8" fill="${p.dark}"/>
<rect x="233" y="140" width="14" height="42" rx="5" fill="${p.dark}"/>
<path d="M240 150L330 118" stroke="${p.dark}" stroke-width="12" stroke-linecap="round"/>
<circle cx="336" cy="116" r="19" fill="#8d6e63"/><circle cx="331" cy="110" r="6" fill="#fff" opacity=".3"/>`;
}

function dripper(p: Palette): string {
  return `${shadow(240, 404, 100)}
<rect x="176" y="300" width="128" height="100" rx="18" fill="${p.dark}" opacity=".22"/>
<path d="M190 330h100" stroke="${p.dark}" stroke-width="3" opacity=".35"/>
<rect x="168" y="286" width="144" height="18" rx="7" fill="${p.main}" stroke="${p.dark}" stroke-width="3"/>
<path d="M148 170h184l-48 116h-88z" fill="${p.main}" stroke="${p.dark}" stroke-width="4" stroke-linejoin="round"/>
<path d="M176 194h128M186 218h108M196 242h88M206 266h68" stroke="${p.dark}" stroke-width="3" opacity=".3"/>
<path d="M326 190c34 0 40 58 4 66" stroke="${p.main}" stroke-width="14" fill="none" stroke-linecap="round"/>
<path d="M326 190c34 0 40 58 4 66" stroke="${p.dark}" stroke-width="3" fill="none" opacity=".5"/>`;
}

function filters(p: Palette): string {
  const cone = (dx: number, rot: number, opacity: number) =>
    `<path transform="rotate(${rot} 240 300) translate(${dx} 0)" d="M160 160h160l-46 180h-68z" fill="${p.main}" stroke="${p.dark}" stroke-width="3" stroke-linejoin="round" opacity="${opacity}"/>`;
  return `${shadow(240, 404, 110)}
${cone(-30, -8, 0.85)}${cone(30, 8, 0.92)}${cone(0, 0, 1)}
<path d="M178 186h124" stroke="${p.dark}" stroke-width="3" stroke-dasharray="4 6" opacity=".6"/>
<text x="240" y="270" text-anchor="middle" ${FONT} font-size="26" font-weight="700" fill="${p.dark}">×100</text>`;
}

function kettle(p: Palette): string {
  return `${shadow(240, 404, 120)}
<path d="M174 352C132 344 116 262 92 226" stroke="${p.main}" stroke-width="13" fill="none" stroke-linecap="round"/>
<path d="M92 226l-14-6" stroke="${p.main}" stroke-width="11" stroke-linecap="round"/>
<path d="M318 240c52 4 52 112 0 118" stroke="${p.dark}" stroke-width="15" fill="none" stroke-linecap="round"/>
<path d="M168 236c0-14 10-22 24-22h96c14 0 24 8 24 22v140c0 16-10 26-26 26H194c-16 0-26-10-26-26z" fill="${p.main}"/>
<rect x="182" y="232" width="14" height="150" rx="7" fill="#fff" opacity=".18"/>
<ellipse cx="240" cy="212" rx="68" ry="12" fill="${p.dark}"/>
<rect x="228" y="186" width="24" height="22" rx="8" fill="#2b211c"/>`;
}

function mug(p: Palette): string {
  return `${shadow(240, 404, 110)}
<path d="M204 168c-10-14 10-24 0-38M240 168c-10-14 10-24 0-38M276 168c-10-14 10-24 0-38" stroke="${p.dark}" stroke-width="5" fill="none" stroke-linecap="round" opacity=".35"/>
<path d="M300 234c52 0 52 96 0 96" stroke="${p.main}" stroke-width="20" fill="none"/>
<path d="M164 196h152v170c0 20-14 34-34 34h-84c-20 0-34-14-34-34z" fill="${p.main}"/>
<ellipse cx="240" cy="196" rx="76" ry="12" fill="${p.dark}"/>
<rect x="180" y="214" width="14" height="160" rx="7" fill="#fff" opacity=".2"/>`;
}

function tumbler(p: Palette): string {
  return `${shadow(240, 404, 80)}
<path d="M184 176h112l-14 214c-1 8-6 12-14 12h-56c-8 0-13-4-14-12z" fill="${p.main}"/>
<rect x="187" y="270" width="106" height="44" fill="${p.dark}" opacity=".3"/>
<rect x="196" y="186" width="12" height="200" rx="6" fill="#fff" opacity=".2"/>
<rect x="176" y="146" width="128" height="34" rx="10" fill="#37474f"/>
<rect x="226" y="136" width="44" height="14" rx="6" fill="#263238"/>`;
}

function giftCard(p: Palette, product: DemoProduct): string {
  const amount = /(\d+\s?zł)/i.exec(product.title)?.[1] ?? "";
  return `${shadow(240, 372, 140)}
<g transform="rotate(-6 240 250)">
<rect x="104" y="160" width="272" height="176" rx="18" fill="${p.main}"/>
<rect x="104" y="160" width="272" height="176" rx="18" fill="none" stroke="${p.dark}" stroke-width="3" opacity=".35"/>
<rect x="290" y="160" width="24" height="176" fill="${p.dark}" opacity=".55"/>
<path d="M302 206c-30-34-56-8-34 6zM302 206c30-34 56-8 34 6z" fill="none" stroke="#fffdf8" stroke-width="7" stroke-linejoin="round"/>
<circle cx="302" cy="208" r="8" fill="#fffdf8"/>
<text x="128" y="198" ${FONT} font-size="15" font-weight="700" letter-spacing="3" fill="${p.ink}">KAWA &amp; CO.</text>
<text x="128" y="312" ${FONT} font-size="40" font-weight="800" fill="${p.ink}">${esc(amount)}</text>
</g>`;
}

/** The picture for one demo product (480×480, square like a theme's product card). */
export function productSvg(product: DemoProduct): string {
  const p = palette(product.color);
  const h = product.handle;
  const art = /grinder/.test(h)
    ? grinder(p)
    : /dripper/.test(h)
      ? dripper(p)
      : /filter/.test(h)
        ? filters(p)
        : /kettle/.test(h)
          ? kettle(p)
          : /tumbler/.test(h)
            ? tumbler(p)
            : /mug/.test(h)
              ? mug(p)
              : product.productType === "gift"
                ? giftCard(p, product)
                : coffeeBag(p, product);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 480 480" width="480" height="480" role="img" aria-label="${esc(product.title)}">
<rect width="480" height="480" fill="${p.bg}"/>
<circle cx="240" cy="250" r="176" fill="#fff" opacity=".28"/>
${art}
</svg>
`;
}
