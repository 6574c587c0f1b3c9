/**
 * Secrets (the read key, a password in a URL, a signature or token in a query) must never reach
 * a log line, a file or an error message. pino's `redact` only scrubs object paths, not text
 * inside strings, so every URL and message passes through here before it is logged or shown.
 */

/**
 * Parts of a query parameter's name that say it holds a credential, matched in the name
 * lowercased with everything but letters and digits dropped (`X-Amz-Signature` is
 * `xamzsignature`). A list of whole names always misses one (`auth`, `sig`, `X-Amz-Signature`,
 * `Key-Pair-Id`, `client_secret`, `PHPSESSID`, ...), so parts are matched, and a name that only
 * looks like one (`author`, `keyword`, `design`) is dropped too: that only hides the parameter
 * from what is shown and written (the request itself keeps it), where a missed one leaks.
 * `code` is not one: as a part it is in `postcode`, `countrycode`, `encode`, and an OAuth
 * `code` is single-use and expires within minutes; no feed URL carries one.
 */
const CREDENTIAL_PARTS = [
  'key', // key, api_key, apikey, Key-Pair-Id (CloudFront)
  'token', // token, access_token, X-Amz-Security-Token
  'secret', // client_secret
  'pass', // pass, passwd, password, passphrase
  'pwd',
  'auth', // auth, oauth_*, authorization
  'sig', // sig (Azure SAS), signature, X-Amz-Signature, X-Goog-Signature
  'cred', // X-Amz-Credential, creds
  'sess', // session, sessionid, PHPSESSID
  'jwt',
  'bearer',
  'policy', // CloudFront's signed Policy
  'hmac',
  'otp',
] as const;

/** Whether a query parameter's name says it holds a credential (see CREDENTIAL_PARTS). */
export function isCredentialParam(name: string): boolean {
  const folded = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return CREDENTIAL_PARTS.some((part) => folded.includes(part));
}

/** The URL with its user info removed and its credential query parameters dropped. */
export function stripSecrets(url: string | URL): string {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return redactText(String(url));
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (isCredentialParam(name)) parsed.searchParams.delete(name);
  }
  // OAuth's implicit flow hands its token over in the fragment (#access_token=...).
  const hash = redactParams(parsed.hash);
  if (hash !== parsed.hash) parsed.hash = hash;
  return parsed.toString();
}

/**
 * `?name=value`, `&name=value` or `#name=value` in free text: the name, and the value up to
 * the next `&`, space, quote or `#`.
 */
const QUERY_PARAM = /([?&#])([^=&\s"'#?]+)=([^&\s"'#]*)/g;

/** Removes known secret values and secret-looking URL parts from free text. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return redactParams(out).replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, '$1');
}

/** Every credential parameter's value in `text` as [redacted]; another one's value is searched too (`?a=1?sig=x`). */
function redactParams(text: string): string {
  return text.replace(QUERY_PARAM, (_whole, lead: string, name: string, value: string) =>
    isCredentialParam(decodedName(name)) ? `${lead}${name}=[redacted]` : `${lead}${name}=${redactParams(value)}`,
  );
}

/** A parameter name as a server reads it (`X%2DAmz%2DSignature` is X-Amz-Signature), or as it is if no escape. */
function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}
