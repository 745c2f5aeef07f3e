// The page names the address it acts on, so the shopper knows the link is theirs,
// but only partly: a forwarded email must not hand out the full address.

export function maskEmail(email: string | null | undefined): string {
  if (!email) return "";
  const at = email.lastIndexOf("@");
  if (at < 1) return "•••";
  const local = email.slice(0, at);
  const shown = local.length <= 2 ? local.slice(0, 1) : local.slice(0, 2);
  return `${shown}•••${email.slice(at)}`;
}

export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return "";
  return phone.length <= 5 ? "•••" : `${phone.slice(0, 3)} ••• ${phone.slice(-3)}`;
}
