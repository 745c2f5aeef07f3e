// The tables a report page shows, each exportable to CSV by its id
// (/app/reports/export?table=<id>, /app/flows/<flowId>/report/export?table=<id>).

export const SHOP_TABLES = ["daily", "funnel", "reasons", "flows", "channels"] as const;
export const FLOW_TABLES = ["daily", "funnel", "reasons", "holdout", "steps", "variants", "channels", "experiments"] as const;

export type ShopTable = (typeof SHOP_TABLES)[number];
export type FlowTable = (typeof FLOW_TABLES)[number];

export const isShopTable = (t: string | null): t is ShopTable => (SHOP_TABLES as readonly (string | null)[]).includes(t);
export const isFlowTable = (t: string | null): t is FlowTable => (FLOW_TABLES as readonly (string | null)[]).includes(t);
