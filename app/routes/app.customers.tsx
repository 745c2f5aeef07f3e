import { data, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Pagination, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { isMessageKey, translator, type Translate } from "~/i18n";
import { localeTag } from "~/i18n/locale-tag";
import { requireAdmin } from "~/server/admin/admin-context.server";
import { customerWhy, findCustomers, recentDecisions, type WhyDecision } from "~/server/admin/customer-why.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const ctx = await requireAdmin(request);
  const url = new URL(request.url);
  const query = url.searchParams.get("q")?.trim() ?? "";
  const base = { locale: ctx.locale, timezone: ctx.shop.timezone, query };
  const customerId = url.searchParams.get("customer");
  if (customerId) {
    const view = {
      ...base,
      view: "customer" as const,
      why: await customerWhy(ctx.shop, customerId, ctx.locale, { before: url.searchParams.get("before") }),
    };
    // No such customer in this shop (or another shop's id): the page says so, with the status that means it.
    return view.why ? view : data(view, { status: 404 });
  }
  if (query) {
    const matches = await findCustomers(ctx.shop, query);
    // One match: straight to the customer.
    if (matches.length === 1) return { ...base, view: "customer" as const, why: await customerWhy(ctx.shop, matches[0]!.id, ctx.locale) };
    return { ...base, view: "matches" as const, matches };
  }
  return { ...base, view: "recent" as const, recent: await recentDecisions(ctx.shop, ctx.locale) };
};

const OUTCOME_TONE: Record<string, "success" | "critical" | "warning" | "info" | undefined> = {
  send: "success",
  skip: "critical",
  defer: "warning",
  holdout: "info",
  not_enrolled: undefined,
};

export default function CustomersWhy() {
  const data = useLoaderData<typeof loader>();
  const t = translator(data.locale);
  const tag = localeTag(data.locale);
  const when = new Intl.DateTimeFormat(tag, { dateStyle: "medium", timeStyle: "short", timeZone: data.timezone });
  const lang = data.locale === "en" ? "" : `lang=${data.locale}`;
  const href = (params: string) => `/app/customers?${[params, lang].filter(Boolean).join("&")}`;
  const [query, setQuery] = useState(data.query);

  return (
    <Page
      title={t("why.title")}
      subtitle={t("why.subtitle")}
      backAction={data.view === "recent" ? undefined : { content: t("why.back"), url: href("") }}
    >
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card>
              <Form method="get">
                {data.locale !== "en" && <input type="hidden" name="lang" value={data.locale} />}
                <InlineStack gap="200" blockAlign="end" wrap={false}>
                  <div style={{ flex: 1 }}>
                    <TextField label={t("why.search")} name="q" value={query} onChange={setQuery} autoComplete="off" />
                  </div>
                  <Button submit variant="primary">
                    {t("why.find")}
                  </Button>
                </InlineStack>
              </Form>
            </Card>
            {data.view === "recent" && (
              <DecisionsCard
                title={t("why.recent")}
                empty={t("why.recentEmpty")}
                decisions={data.recent}
                t={t}
                when={when}
                customerHref={(id) => href(`customer=${encodeURIComponent(id)}`)}
              />
            )}
            {data.view === "matches" && (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    {data.matches.length === 0 ? t("why.noMatch", { query: data.query }) : t("why.matches", { query: data.query })}
                  </Text>
                  {data.matches.map((c) => (
                    <Link key={c.id} to={href(`customer=${encodeURIComponent(c.id)}`)}>
                      {c.name} {c.email ? `· ${c.email}` : ""}
                    </Link>
                  ))}
                </BlockStack>
              </Card>
            )}
            {data.view === "customer" &&
              (data.why ? (
                <CustomerView
                  why={data.why}
                  t={t}
                  when={when}
                  pageHref={(before) =>
                    href(
                      [`customer=${encodeURIComponent(data.why!.customer.id)}`, before ? `before=${before}` : ""].filter(Boolean).join("&"),
                    )
                  }
                />
              ) : (
                <Text as="p">{t("why.noMatch", { query: data.query })}</Text>
              ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

type Why = NonNullable<Extract<ReturnType<typeof useLoaderData<typeof loader>>, { view: "customer" }>["why"]>;

function CustomerView({
  why,
  t,
  when,
  pageHref,
}: {
  why: Why;
  t: Translate;
  when: Intl.DateTimeFormat;
  pageHref: (before: string | null) => string;
}) {
  const c = why.customer;
  const consent = (state: string, level: string | null, source: string | null, at: string | null) => (
    <BlockStack gap="050">
      <span>
        <Badge tone={state === "subscribed" ? "success" : state === "unsubscribed" ? "critical" : undefined}>
          {label(t, `why.consent.${state}`, state)}
        </Badge>
      </span>
      {at && (
        <Text as="span" tone="subdued" variant="bodySm">
          {t("why.consent.detail", {
            level: level ? label(t, `why.level.${level}`, level) : "—",
            // "shopify:<where>" records where in Shopify the consent was collected.
            source: source ? label(t, `why.source.${source.split(":")[0]}`, source) : "—",
            date: when.format(new Date(at)),
          })}
        </Text>
      )}
    </BlockStack>
  );
  return (
    <BlockStack gap="400">
      <Card>
        <BlockStack gap="300">
          <Text as="h2" variant="headingLg">
            {c.name ?? c.id}
          </Text>
          <Text as="p" tone="subdued">
            {[c.email, c.phone].filter(Boolean).join(" · ")}
          </Text>
          <InlineStack gap="800" wrap>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t("why.consent.email")}
              </Text>
              {consent(c.emailConsentState, c.emailOptInLevel, c.emailConsentSource, c.emailConsentUpdatedAt)}
            </BlockStack>
            <BlockStack gap="100">
              <Text as="h3" variant="headingSm">
                {t("why.consent.sms")}
              </Text>
              {consent(c.smsConsentState, c.smsOptInLevel, c.smsConsentSource, c.smsConsentUpdatedAt)}
            </BlockStack>
          </InlineStack>
          {c.marketingPausedUntil && <Text as="p">{t("why.pausedUntil", { date: when.format(new Date(c.marketingPausedUntil)) })}</Text>}
          {c.unsubscribedTopics.length > 0 && (
            <Text as="p">{t("why.unsubscribedTopics", { topics: c.unsubscribedTopics.join(", ") })}</Text>
          )}
          {why.suppressions.map((s) => (
            <Text as="p" key={`${s.channel}:${s.reason}`} tone="critical">
              {t("why.suppressed", { channel: s.channel, reason: s.reason, date: when.format(new Date(s.createdAt)) })}
            </Text>
          ))}
          {c.redactedAt && <Text as="p">{t("why.redacted", { date: when.format(new Date(c.redactedAt)) })}</Text>}
        </BlockStack>
      </Card>
      <Card>
        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {t("why.flows")}
          </Text>
          {why.enrollments.length === 0 ? (
            <Text as="p" tone="subdued">
              {t("why.flows.empty")}
            </Text>
          ) : (
            why.enrollments.map((e) => (
              <InlineStack key={e.id} gap="200" blockAlign="center">
                <Text as="span" fontWeight="semibold">
                  {e.flow}
                </Text>
                <Badge tone={e.status === "active" ? "info" : undefined}>{label(t, `why.enrollment.${e.status}`, e.status)}</Badge>
                {e.holdout && <Badge>{t("why.flows.holdout")}</Badge>}
                <Text as="span" tone="subdued">
                  {t("why.flows.entered", { date: when.format(new Date(e.enteredAt)) })}
                  {e.finishedAt ? `, ${t("why.flows.finished", { date: when.format(new Date(e.finishedAt)) })}` : ""}
                  {e.exitReason ? ` · ${reasonText(t, e.exitReason)}` : ""}
                </Text>
              </InlineStack>
            ))
          )}
        </BlockStack>
      </Card>
      <DecisionsCard title={t("why.timeline")} empty={t("why.timeline.empty")} decisions={why.decisions} t={t} when={when}>
        {(why.paged || why.olderBefore) && (
          <InlineStack align="center">
            <Pagination
              hasPrevious={why.paged}
              previousURL={pageHref(null)}
              previousTooltip={t("why.timeline.newest")}
              hasNext={why.olderBefore !== null}
              nextURL={why.olderBefore ? pageHref(why.olderBefore) : undefined}
              nextTooltip={t("why.timeline.older")}
              label={why.olderBefore ? t("why.timeline.older") : t("why.timeline.end")}
            />
          </InlineStack>
        )}
      </DecisionsCard>
    </BlockStack>
  );
}

type DecisionsProps = { decisions: WhyDecision[]; t: Translate; when: Intl.DateTimeFormat; customerHref?: (id: string) => string };

/** A titled card with the decisions table, or a line saying there are none; children go below (paging). */
function DecisionsCard({ title, empty, children, ...table }: DecisionsProps & { title: string; empty: string; children?: ReactNode }) {
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
        </div>
        {table.decisions.length === 0 ? (
          <div style={{ padding: "0 var(--p-space-400) var(--p-space-400)" }}>
            <Text as="p" tone="subdued">
              {empty}
            </Text>
          </div>
        ) : (
          <Decisions {...table} />
        )}
        {children && <div style={{ padding: "var(--p-space-300)" }}>{children}</div>}
      </BlockStack>
    </Card>
  );
}

function Decisions({ decisions, t, when, customerHref }: DecisionsProps) {
  const headings = [
    t("why.col.when"),
    ...(customerHref ? [t("why.col.customer")] : []),
    t("why.col.flow"),
    t("why.col.decision"),
    t("why.col.why"),
  ].map((title) => ({ title }));
  return (
    <IndexTable itemCount={decisions.length} selectable={false} headings={headings as [{ title: string }, ...{ title: string }[]]}>
      {decisions.map((d, i) => (
        <IndexTable.Row id={d.id} key={d.id} position={i}>
          <IndexTable.Cell>{when.format(new Date(d.at))}</IndexTable.Cell>
          {customerHref && (
            <IndexTable.Cell>
              {d.customerId ? <Link to={customerHref(d.customerId)}>{d.customer ?? d.customerId}</Link> : "—"}
            </IndexTable.Cell>
          )}
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span">{d.flow ?? "—"}</Text>
              {d.stepId && (
                <Text as="span" tone="subdued" variant="bodySm">
                  {d.stepId}
                  {d.channel ? ` · ${d.channel}` : ""}
                </Text>
              )}
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <Badge tone={OUTCOME_TONE[d.outcome]}>{label(t, `why.outcome.${d.outcome}`, d.outcome)}</Badge>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <BlockStack gap="050">
              <Text as="span">{reasonText(t, d.reason)}</Text>
              {d.until && (
                <Text as="span" tone="subdued" variant="bodySm">
                  {t(d.outcome === "defer" ? "why.until" : "why.expiredAt", { date: when.format(new Date(d.until)) })}
                </Text>
              )}
              {d.alsoBlockedBy.length > 0 && (
                <Text as="span" tone="subdued" variant="bodySm">
                  {t("why.alsoBlockedBy", { rules: d.alsoBlockedBy.map((r) => label(t, `why.rule.${r}`, r)).join(", ") })}
                </Text>
              )}
              {d.message && (
                <Text as="span" tone="subdued" variant="bodySm">
                  {t("why.message", { status: label(t, `why.status.${d.message.status}`, d.message.status) })}
                  {d.message.subject ? ` · ${d.message.subject}` : ""}
                </Text>
              )}
            </BlockStack>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

function label(t: Translate, key: string, fallback: string): string {
  return isMessageKey(key) ? t(key) : fallback;
}

function reasonText(t: Translate, code: string): string {
  const key = `why.reason.${code}`;
  return isMessageKey(key) ? t(key) : t("why.reason.other", { code });
}
