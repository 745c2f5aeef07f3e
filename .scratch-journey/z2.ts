import { z } from "zod";
const S = z.object({ a: z.object({ x: z.number().default(1), y: z.boolean().default(true) }).prefault({}), d: z.tuple([z.number(), z.number()]).default([1,2]) });
console.log(JSON.stringify(S.parse({})), JSON.stringify(S.parse({ a: { y: false } })));
type I = z.input<typeof S>; const i: I = { a: { y: false } }; console.log(i);
