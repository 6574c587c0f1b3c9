import { createHash } from 'node:crypto';
import { isPrivateAddress } from '../http/ip-ranges.js';
import type { SvgPolicy } from './svg.js';
import { hostAllowed } from './url.js';

/**
 * A download the config refuses: the message (ending with the config key in parentheses), the
 * key, and whether it is the owner's choice of what to mirror (images.svg, files.types) rather
 * than a rule that keeps out something the owner meant to have (a host not listed yet).
 */
export interface ConfigRefusal {
  message: string;
  key: string;
  policy: boolean;
}

/** The config a download obeys (DownloadOptions holds them, with the transport's settings). */
export interface RefusalRules {
  allowedHosts: readonly string[];
  allowHttp: boolean;
  allowPrivateNetworks: boolean;
  svg: SvgPolicy;
  maxBytes: number;
  /** Set for uploaded files (files.*): the types their bytes must be. */
  files?: { types: readonly string[] } | undefined;
}

/**
 * The rules one hop of a download must meet, from its URL alone: the scheme, the allowed hosts
 * and no private IP literal. Checked on every hop of a real download (redirects too) and, for
 * the feed's URL, by urlRefusal before anything is requested.
 */
export function hopRefusal(target: URL, rules: RefusalRules): ConfigRefusal | undefined {
  const what = rules.files ? 'files' : 'images';
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && rules.allowHttp)) {
    return refusal(`${target.protocol} URLs are refused; ${what} are fetched over https only`, 'images.allowHttp');
  }
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!hostAllowed(host, rules.allowedHosts)) {
    return refusal(`host ${host} is not in the allowed hosts`, 'images.allowedHosts');
  }
  // A name is checked on the address it resolves to, while connecting; an IP literal here.
  if (!rules.allowPrivateNetworks && isPrivateAddress(host)) {
    return refusal(`${host} is a private or local address; refused`, 'http.allowPrivateNetworks');
  }
  return undefined;
}

/**
 * Every decision about the feed's URL that needs no request: the hop rules, and an image URL
 * that names an SVG under images.svg: refuse (refused unasked, whatever the bytes would be:
 * the owner asked for no SVG, and one request per run for it would only confirm it). A real
 * run and a dry run both ask this, so a dry run promises nothing the real run refuses.
 */
export function urlRefusal(url: string, rules: RefusalRules): ConfigRefusal | undefined {
  const target = new URL(url);
  const hop = hopRefusal(target, rules);
  if (hop) return hop;
  if (!rules.files && rules.svg === 'refuse' && /\.svg$/i.test(target.pathname)) {
    return { ...refusal('the URL names an SVG, and SVG images are refused', 'images.svg'), policy: true };
  }
  return undefined;
}

function refusal(reason: string, key: string): ConfigRefusal {
  return { message: `${reason} (${key})`, key, policy: false };
}

/**
 * The config a refusal depends on, as a short hash: a backoff record of a refusal by the config
 * holds it, and is dropped once the config differs (a fixed allowedHosts is tried at once).
 */
export function refusalFingerprint(options: RefusalRules): string {
  const { allowedHosts, allowHttp, allowPrivateNetworks, svg, maxBytes, files } = options;
  const rules = { allowedHosts, allowHttp, allowPrivateNetworks, svg, maxBytes, types: files?.types ?? null };
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 16);
}
