import type { ReactNode } from "react";
import type { ComplianceKey, ComplianceTranslate } from "~/i18n/compliance";
import { MARKETING_TOPICS } from "../topics";

/** The topic checkboxes: ticked = the shopper wants this topic. */
export function TopicOptions({ t, unsubscribedTopics }: { t: ComplianceTranslate; unsubscribedTopics: string[] }) {
  return (
    <fieldset>
      <legend>{t("preferences.topics")}</legend>
      {MARKETING_TOPICS.map((topic) => (
        <div className="option" key={topic}>
          <input
            type="checkbox"
            id={`topic-${topic}`}
            name="topic"
            value={topic}
            defaultChecked={!unsubscribedTopics.includes(topic)}
            aria-describedby={`topic-${topic}-hint`}
          />
          <div>
            <label htmlFor={`topic-${topic}`}>{t(`topic.${topic}` as ComplianceKey)}</label>
            <span className="hint" id={`topic-${topic}-hint`}>
              {t(`topic.${topic}.hint` as ComplianceKey)}
            </span>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

/** A form the preference center accepts: POST to its own URL, echoing the token (see routes/preferences.$token). */
export function PreferenceForm({
  action,
  token,
  intent,
  children,
}: {
  action: string;
  token: string;
  intent: string;
  children: ReactNode;
}) {
  return (
    <form method="post" action={action}>
      <input type="hidden" name="token" value={token} />
      <input type="hidden" name="intent" value={intent} />
      {children}
    </form>
  );
}
