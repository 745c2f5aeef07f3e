/** @jsxImportSource preact */
// The signup popup. Written as a class component on purpose: preact/hooks would add
// ~2.5 KB to a bundle that has a 20 KB budget.
import { Component } from "preact";
import { attr, readClientId, store } from "./dom";
import { fill, M, stringsFor, type Strings } from "./i18n";
import { buildPayload, isSuppressed, SUPPRESS_KEY, validateSignup, type Field, type FieldErrors } from "./validate";

export interface PopupConfig {
  proxy: string;
  locale: string;
  delaySeconds: number;
  exitIntent: boolean;
  title: string;
  body: string;
  showSms: boolean;
  shopName: string;
  privacyUrl: string;
  /** Theme editor preview: show at once, ignore and never write the 14-day suppression. */
  designMode: boolean;
}

export function readPopupConfig(el: HTMLElement): PopupConfig {
  return {
    proxy: attr(el, "proxy"),
    locale: attr(el, "locale") || "en",
    delaySeconds: Number(attr(el, "delay")) || 0,
    exitIntent: attr(el, "exit-intent") != "false",
    title: attr(el, "title"),
    body: attr(el, "body"),
    showSms: attr(el, "show-sms") == "true",
    shopName: attr(el, "shop-name") || location.hostname,
    privacyUrl: attr(el, "privacy-url"),
    designMode: attr(el, "design-mode") == "true",
  };
}

interface State {
  open: boolean;
  email: string;
  phone: string;
  emailConsent: boolean;
  smsConsent: boolean;
  errors: FieldErrors;
  status: "idle" | "submitting" | "subscribed" | "pending";
}

/** DOM id of a field's input (and, with "-error", of its message). */
const fid = (field: string) => "fm-" + field;

export class SignupPopup extends Component<{ cfg: PopupConfig }, State> {
  state: State = { open: false, email: "", phone: "", emailConsent: false, smsConsent: false, errors: {}, status: "idle" };
  t: Strings = stringsFor(this.props.cfg.locale);
  dialog: HTMLElement | null = null;
  returnFocus: HTMLElement | null = null;
  disarm = () => {};

  componentDidMount() {
    const cfg = this.props.cfg;
    if (!cfg.designMode && isSuppressed(store(SUPPRESS_KEY), Date.now())) return;
    const onMouseOut = (e: MouseEvent) => {
      if (!e.relatedTarget && e.clientY <= 0) this.show();
    };
    // Exit intent only where there is a mouse to leave the window with.
    const exitIntent = cfg.exitIntent && !cfg.designMode && matchMedia("(hover:hover) and (pointer:fine)").matches;
    const timer = setTimeout(this.show, cfg.designMode ? 0 : cfg.delaySeconds * 1000);
    if (exitIntent) document.addEventListener("mouseout", onMouseOut);
    this.disarm = () => {
      clearTimeout(timer);
      document.removeEventListener("mouseout", onMouseOut);
    };
  }

  componentDidUpdate(_: unknown, prev: State) {
    const { open, status } = this.state;
    const dialog = this.dialog;
    if (open !== prev.open) {
      document.documentElement.classList.toggle("fm-lock", open);
      if (open) document.addEventListener("keydown", this.onKeyDown, true);
      else document.removeEventListener("keydown", this.onKeyDown, true);
    }
    // Focus the email input on open, the confirmation heading after success.
    if (dialog && status !== prev.status && /subscribed|pending/.test(status)) (dialog.querySelector("h2") as HTMLElement).focus();
    else if (dialog && open && !prev.open) (dialog.querySelector("input") as HTMLElement).focus();
  }

  show = () => {
    this.disarm();
    this.returnFocus = document.activeElement as HTMLElement | null;
    this.setState({ open: true });
  };

  /** Starts the 14 days of silence (not in the theme editor preview). */
  remember() {
    if (!this.props.cfg.designMode) store(SUPPRESS_KEY, String(Date.now()));
  }

  /** One form field's edit. A computed key of a union type would widen to an index
   * signature that setState accepts for any value; the generic keeps value and field paired. */
  setField<K extends "email" | "phone" | "emailConsent" | "smsConsent">(field: K, value: State[K]) {
    this.setState({ [field]: value });
  }

  close = () => {
    this.remember();
    this.setState({ open: false });
    const previous = this.returnFocus;
    if (previous && previous.focus) previous.focus();
  };

  /** Escape closes; Tab and Shift+Tab cycle inside the dialog. */
  onKeyDown = (e: KeyboardEvent) => {
    const dialog = this.dialog;
    if (e.key === "Escape") {
      e.preventDefault();
      this.close();
    }
    if (e.key !== "Tab" || !dialog) return;
    const items = dialog.querySelectorAll<HTMLElement>("a[href],button:not([disabled]),input");
    const first = items[0] as HTMLElement;
    const last = items[items.length - 1] as HTMLElement;
    const active = document.activeElement;
    const target = !dialog.contains(active) ? first : e.shiftKey ? active === first && last : active === last && first;
    if (target) {
      e.preventDefault();
      target.focus();
    }
  };

  /** Shows the messages and moves focus to the first field that has one. */
  fail(errors: FieldErrors) {
    this.setState({ errors, status: "idle" });
    const el = document.getElementById(fid(Object.keys(errors)[0] as string));
    if (el) el.focus();
  }

  /** Never rejects: a network or server failure ends in fail(), on screen. */
  onSubmit = async (e: Event) => {
    e.preventDefault();
    const { cfg } = this.props;
    const s = this.state;
    const t = this.t;
    const input = { email: s.email, phone: s.phone, emailConsent: s.emailConsent, smsConsent: s.smsConsent, showSms: cfg.showSms };
    const invalid = validateSignup(input, t);
    if (Object.keys(invalid).length) return this.fail(invalid);

    this.setState({ errors: {}, status: "submitting" });
    try {
      const res = await fetch(cfg.proxy + "/subscribe", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(buildPayload(input, cfg.locale, readClientId())),
      });
      const data = (await res.json().catch(() => ({}))) as { status?: string; error?: string; field?: string };
      if (res.ok) {
        this.remember();
        return this.setState({ status: data.status === "pending_confirmation" ? "pending" : "subscribed" });
      }
      // The server's message goes next to the field it names when that field is on
      // screen, else above the button.
      const field = data.field && document.getElementById(fid(data.field)) ? data.field : "form";
      this.fail({ [field]: data.error || t[M.errGeneric] });
    } catch {
      this.fail({ form: t[M.errNetwork] });
    }
  };

  render({ cfg }: { cfg: PopupConfig }, s: State) {
    if (!s.open) return null;
    const t = this.t;
    const { errors, status } = s;
    const pending = status === "pending";
    const describedBy = (field: Field) => (errors[field] ? fid(field) + "-error" : undefined);
    const error = (field: Field) =>
      errors[field] && (
        <p class="fm-error" id={fid(field) + "-error"}>
          {errors[field]}
        </p>
      );
    const textField = (field: "email" | "phone", type: "email" | "tel", label: string) => (
      <div class="fm-field">
        <label for={fid(field)}>{label}</label>
        <input
          id={fid(field)}
          // preact types <input> props as a union discriminated by `type`, and TypeScript does
          // not spread a union-typed discriminant over it; the "email" and "tel" members are
          // alike. The rule checks the attribute alone, so it misses that (typescript-eslint#12277).
          // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
          type={type as "email"}
          inputMode={type}
          autoComplete={type}
          required={field === "email"}
          value={s[field]}
          aria-invalid={!!errors[field]}
          aria-describedby={describedBy(field)}
          onInput={(e) => this.setField(field, e.currentTarget.value)}
        />
        {error(field)}
      </div>
    );
    const consent = (field: "emailConsent" | "smsConsent", text: string) => [
      <div class="fm-check">
        <input
          id={fid(field)}
          type="checkbox"
          checked={s[field]}
          aria-describedby={describedBy(field)}
          onChange={(e) => this.setField(field, e.currentTarget.checked)}
        />
        <label for={fid(field)}>{fill(text, cfg.shopName)}</label>
      </div>,
      error(field),
    ];

    return (
      <div
        class="fm-overlay"
        onMouseDown={(e) => {
          if (e.target === e.currentTarget) this.close();
        }}
      >
        <div
          class="fm-dialog"
          role="dialog"
          aria-modal="true"
          aria-labelledby="fm-title"
          aria-describedby="fm-body"
          ref={(el) => {
            this.dialog = el;
          }}
        >
          <button type="button" class="fm-close" aria-label={t[M.close]} onClick={this.close} />
          {pending || status === "subscribed" ? (
            <div class="fm-success">
              <div class={"fm-icon fm-icon--" + status} aria-hidden="true" />
              <h2 id="fm-title" tabIndex={-1}>
                {t[pending ? M.pendingTitle : M.successTitle]}
              </h2>
              <p id="fm-body">{t[pending ? M.pendingBody : M.successBody]}</p>
              <button type="button" class="fm-btn" onClick={this.close}>
                {t[M.continueShopping]}
              </button>
            </div>
          ) : (
            <form noValidate onSubmit={(e) => void this.onSubmit(e)}>
              <h2 id="fm-title">{cfg.title || t[M.title]}</h2>
              <p id="fm-body">{cfg.body || t[M.body]}</p>
              {textField("email", "email", t[M.email])}
              {cfg.showSms && textField("phone", "tel", t[M.phone])}
              {consent("emailConsent", t[M.emailConsent])}
              {cfg.showSms && consent("smsConsent", t[M.smsConsent])}
              {errors.form && (
                <p class="fm-error fm-error--form" role="alert">
                  {errors.form}
                </p>
              )}
              <button type="submit" class="fm-btn" disabled={status === "submitting"}>
                {t[status === "submitting" ? M.submitting : M.submit]}
              </button>
              {cfg.privacyUrl && (
                <p class="fm-fine">
                  <a href={cfg.privacyUrl}>{t[M.privacyLink]}</a>
                </p>
              )}
            </form>
          )}
        </div>
      </div>
    );
  }
}
