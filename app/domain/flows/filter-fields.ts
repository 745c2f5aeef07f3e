// No imports: the flow page's client bundle reads this list too.

/** The customer facts a merchant can add to a flow's filter, and how their value is read. */
export const FILTER_FIELDS = [
  { field: "customer.ordersCount", kind: "number", op: "eq" },
  { field: "customer.totalSpent", kind: "number", op: "gte" },
  { field: "customer.lastOrderAt", kind: "days", op: "within_days" },
  { field: "customer.emailConsent", kind: "string", op: "eq" },
  { field: "customer.smsConsent", kind: "string", op: "eq" },
  { field: "customer.countryCode", kind: "string", op: "eq" },
  { field: "customer.tags", kind: "string", op: "contains" },
] as const;
