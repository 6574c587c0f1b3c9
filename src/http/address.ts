import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { DropmarkSyncError } from '../errors.js';
import { isPrivateAddress } from './ip-ranges.js';

/**
 * The guarded lookup refused an address. Internal, not in the package entry: it reaches the HTTP
 * client as the socket's error, which turns it into an HttpError (kind `refused`, code
 * EPRIVATEADDR) before it leaves, so a caller catches that.
 */
export class PrivateAddressError extends DropmarkSyncError {
  override name = 'PrivateAddressError';
  readonly code = 'EPRIVATEADDR';
}

/** `dns.lookup` asked for every address: what guardedLookup resolves names with (a test passes its own). */
export type Resolve = (
  hostname: string,
  options: LookupAllOptions,
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/**
 * A DNS lookup for the socket that refuses names resolving to a private address, so the
 * check happens on the address actually connected to (a name that resolves to 127.0.0.1 is
 * refused too). Every address of the answer is checked.
 */
export function guardedLookup(allowPrivate: boolean, resolve: Resolve = dnsLookup): LookupFunction {
  return ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const bad = addresses.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate) {
        return callback(
          new PrivateAddressError(
            `${hostname} resolves to ${bad.address}, a private or local address; ` +
              'refused (http.allowPrivateNetworks is false)',
          ),
        );
      }
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} did not resolve`), { code: 'ENOTFOUND' }));
      if (options.all) return callback(null, addresses);
      return callback(null, first.address, first.family);
    });
  }) as LookupFunction;
}
