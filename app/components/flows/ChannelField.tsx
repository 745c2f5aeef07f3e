import { Badge, Select } from "@shopify/polaris";
import { ChatIcon, EmailIcon } from "@shopify/polaris-icons";
import { useContext, useState } from "react";
import type { SwitchLock } from "~/domain/flows/channel-switch";
import type { Translate } from "~/i18n";
import { FieldErrors } from "./FormFields";

// A send step's channel: the timeline's badge (icon and word, so it reads without
// colour) and the flow page's switch (`send/<stepId>/channel`, see
// app/domain/flows/channel-switch.ts for what a switch does to the step).

export function ChannelBadge({ channel, t }: { channel: "email" | "sms"; t: Translate }) {
  const word = t(`flowChannel.badge.${channel}`);
  return (
    <span data-channel={channel} title={t("flowChannel.badgeLabel", { channel: word })}>
      <Badge icon={channel === "sms" ? ChatIcon : EmailIcon}>{word}</Badge>
    </span>
  );
}

export function ChannelSelect(props: { stepId: string; name: string; initial: string; locked: SwitchLock | null; t: Translate }) {
  const { stepId, t } = props;
  const [value, setValue] = useState(props.initial);
  const field = `send/${stepId}/channel`;
  const error = useContext(FieldErrors)[field];
  return (
    <Select
      name={field}
      id={field}
      label={t("flowChannel.field.channel", { name: props.name })}
      // A locked channel says why; otherwise help appears only once the merchant picks the other channel.
      helpText={
        props.locked
          ? t(`flowChannel.error.${props.locked}`)
          : value === props.initial
            ? undefined
            : t(value === "sms" ? "flowChannel.help.toSms" : "flowChannel.help.toEmail")
      }
      options={(["email", "sms"] as const).map((c) => ({ label: t(`flowChannel.option.${c}`), value: c }))}
      value={value}
      onChange={setValue}
      disabled={props.locked !== null}
      error={error?.length ? error.join(" ") : undefined}
    />
  );
}
