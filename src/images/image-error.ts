import { causeOf, DropmarkSyncError } from '../errors.js';
import type { ConfigRefusal } from './refusal.js';

export interface ImageErrorOptions extends ErrorOptions {
  /** The signature is stale: a fresh feed may help. */
  expired?: boolean | undefined;
  /** Another attempt could help (a 5xx, a reset connection). */
  retryable?: boolean | undefined;
  /** The server's Retry-After, already capped, in milliseconds. */
  retryAfterMs?: number | undefined;
  /**
   * A rule of the config refused it, named by its `key`: no outage, and a changed config may let it in.
   * `policy`: the owner's choice of what to mirror (images.svg, files.types), not a rule keeping out what was meant.
   */
  byConfig?: Omit<ConfigRefusal, 'message'> | undefined;
}

/** Why an image (or an uploaded file) could not be had. */
export class ImageError extends DropmarkSyncError {
  override name = 'ImageError';
  readonly expired: boolean;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly byConfig: Omit<ConfigRefusal, 'message'> | undefined;
  constructor(message: string, options: ImageErrorOptions = {}) {
    super(message, causeOf(options));
    this.expired = options.expired ?? false;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
    this.byConfig = options.byConfig;
  }

  /** A download a rule of the config refuses: its message, and its key and kind as `byConfig`. */
  static byConfig({ message, key, policy }: ConfigRefusal, options: ErrorOptions = {}): ImageError {
    return new ImageError(message, { ...options, byConfig: { key, policy } });
  }
}
