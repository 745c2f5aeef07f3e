import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { now } from "~/server/clock.server";
import { limitPublicRequest } from "~/server/http/public-limits.server";
import { readSmallForm } from "~/server/compliance/form.server";
import { loadLinkSubject } from "~/server/compliance/link-subject.server";
import { linkErrorPage } from "~/server/compliance/pages/error-view.server";
import { preferencesPage, type PreferenceNotice } from "~/server/compliance/pages/preferences-view.server";
import { applyPreferenceChange, type PreferenceAction } from "~/server/compliance/preferences.server";

// /preferences/:token: the preference center. GET shows, POST changes. A change must
// echo the URL's token in the form body: another site cannot know the token, so it
// cannot forge the POST, and a prefetch (GET) never changes anything.

const NOTICE: Record<PreferenceAction, PreferenceNotice> = {
  save_topics: "saved",
  pause: "pausedNow",
  resume: "resumed",
  resubscribe: "resubscribed",
  unsubscribe_all: "unsubscribedAll",
};

const isAction = (v: unknown): v is PreferenceAction => typeof v === "string" && v in NOTICE;

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const limited = limitPublicRequest("preferences", request, context, params.token);
  if (limited) return limited;
  const at = now();
  const r = await loadLinkSubject("preferences", params.token, at.getTime());
  if (!r.ok) return linkErrorPage(request, r.reason);
  return preferencesPage(r.subject, params.token!, at);
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  const limited = limitPublicRequest("preferences", request, context, params.token);
  if (limited) return limited;
  const at = now();
  const r = await loadLinkSubject("preferences", params.token, at.getTime());
  if (!r.ok) return linkErrorPage(request, r.reason);
  const form = await readSmallForm(request);
  if (!form || form.get("token") !== params.token) return linkErrorPage(request, "token_mismatch", 403);
  const intent = form.get("intent");
  if (!isAction(intent)) return linkErrorPage(request, "unknown_action", 400);
  await applyPreferenceChange({
    shopId: r.subject.shop.id,
    customerId: r.subject.customer.id,
    action: intent,
    topics: form.getAll("topic"),
    at,
  });
  const fresh = await loadLinkSubject("preferences", params.token, at.getTime());
  if (!fresh.ok) return linkErrorPage(request, fresh.reason);
  return preferencesPage(fresh.subject, params.token, at, NOTICE[intent]);
};
