/** A stored secret as the admin shows it: never more than its last 4 characters. */
export function maskSecret(secret: string | null | undefined): string | null {
  if (!secret) return null;
  // Short secrets show nothing: 4 of 6 characters would be most of it.
  if (secret.length < 12) return "••••";
  return `••••${secret.slice(-4)}`;
}
