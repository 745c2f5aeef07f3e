import mjml2html from "mjml";
import { compiledEmail } from "./app/server/channels/email/compile-template.server";
await compiledEmail("abandoned_checkout_3", "en");
// re-assemble to count: read raw template tokens
const t = await compiledEmail("abandoned_checkout_3", "en");
const src = JSON.stringify(t.html.map((n: any) => n.token?.input?.length ?? 0).slice(0, 1));
console.log(src);
const input: string = (t.html[0] as any).token.input;
const outs = input.match(/\{\{[^}]*\}\}/g) ?? [];
const counts = new Map<string, number>(); for (const o of outs) counts.set(o, (counts.get(o) ?? 0) + 1);
console.log("outputs", outs.length, "tags", (input.match(/\{%/g) ?? []).length, "len", input.length);
console.log([...counts].sort((a, b) => b[1] - a[1]).slice(0, 12));
void mjml2html;
