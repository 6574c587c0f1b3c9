/**
 * Secrets (the read key, a password in a URL) must never reach a log line, a file or an
 * error message. pino's `redact` only scrubs object paths, not text inside strings, so every
 * URL and message passes through here before it is logged or shown.
 */

const SECRET_PARAMS = new Set(['key', 'api_key', 'apikey', 'token', 'access_token', 'password']);

/** The URL with its user info removed and secret query parameters dropped. */
export function stripSecrets(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) parsed.searchParams.delete(name);
  }
  return parsed.toString();
}

/** Removes known secret values and secret-looking URL parts from free text. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(/([?&](?:key|api_key|apikey|token|access_token|password)=)[^&\s"'#]*/gi, '$1[redacted]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1');
}
