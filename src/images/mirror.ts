import { describeError } from '../errors.js';
import PQueue from 'p-queue';
import { downloadImage, type DownloadDeps, type DownloadedImage, type DownloadOptions } from './download.js';
import { ImageError } from './image-error.js';
import type { ImageRecord } from './manifest.js';
import {
  describeUrl,
  MirrorBook,
  type ImageRequest,
  type MirrorInput,
  type MirrorPlan,
  type MirrorResult,
} from './mirror-plan.js';
import { imageIdentity, isExpired } from './url.js';

// The downloads of a mirror plan (mirror-plan.ts): each due request fetched into the sink, one refetch on expiry.

export interface MirrorDeps extends DownloadDeps {
  /**
   * Fetches the feed again for fresh signatures: item id -> the URL of the same role as the
   * requests' (a thumbnail for a thumbnail, an upload for an upload). Called at most once.
   */
  refetchUrls: () => Promise<Map<string, string | null>>;
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * Downloads what the plan found due while the URLs are still valid, into the sink. An expired
 * signature or a 403 leads to one fresh fetch of the feed, then one more try. An image that
 * cannot be had keeps the item's previous local image, or gives "".
 */
export async function downloadMirror(
  plan: MirrorPlan,
  input: MirrorInput,
  options: DownloadOptions,
  deps: MirrorDeps,
): Promise<MirrorResult> {
  const run = new MirrorDownloads(new MirrorBook(input, options, deps.now(), plan.settled), options, deps);
  run.total = plan.due.length;
  const queue = new PQueue({ concurrency: input.concurrency });
  await Promise.all(plan.due.map((request) => queue.add(() => run.attempt(request, request.url as string, false))));
  // Signatures die about an hour after the feed was rendered: fetch it once more.
  if (run.expired.length > 0) await run.retryExpired(queue);
  return run.book.result();
}

/** The downloads of one target: each due request tried, its fallback, one refetch on expiry. */
class MirrorDownloads {
  readonly expired: ImageRequest[] = [];
  total = 0;
  private done = 0;

  constructor(
    readonly book: MirrorBook,
    private readonly options: DownloadOptions,
    private readonly deps: MirrorDeps,
  ) {}

  async attempt(request: ImageRequest, url: string, lastTry: boolean): Promise<void> {
    const { book } = this;
    try {
      if (isExpired(url, this.deps.now()) && !lastTry)
        throw new ImageError('the signed URL has expired', { expired: true });
      await this.keep(request, url, await downloadImage(url, this.options, this.deps));
    } catch (error) {
      if (error instanceof ImageError && error.expired && !lastTry) {
        this.expired.push(request);
        return;
      }
      if (this.deps.signal?.aborted) throw error;
      // A refusal by the config is recorded with it: a changed config tries again at once.
      const byConfig = error instanceof ImageError ? error.byConfig : undefined;
      const policy = byConfig?.policy === true;
      const reason = describeError(error);
      book.failedRequests.set(imageIdentity(url), { reason, byConfig: byConfig !== undefined, policy });
      if (request.fallback && error instanceof ImageError && !error.retryable) {
        this.deps.logger?.warn(
          { itemId: request.itemId, reason: error.message },
          `${book.what} ${describeUrl(url)} refused; its thumbnail is mirrored instead`,
        );
        book.identities.add(imageIdentity(request.fallback));
        await this.attempt({ ...request, url: request.fallback, fallback: undefined }, request.fallback, lastTry);
        return;
      }
      this.progress();
      book.miss(request, `${book.what} ${describeUrl(url)}: ${reason}`, policy ? book.leftOut : book.failures);
    }
  }

  async retryExpired(queue: PQueue): Promise<void> {
    const { book } = this;
    let fresh: Map<string, string | null>;
    try {
      fresh = await this.deps.refetchUrls();
    } catch (error) {
      for (const request of this.expired)
        book.miss(request, `${book.what}: expired, and the feed could not be fetched again (${describeError(error)})`);
      return;
    }
    const retry = async (request: ImageRequest) => {
      const url = fresh.get(request.itemId);
      if (url) await this.attempt({ ...request, url }, url, true);
      else book.miss(request, `${book.what}: expired, and the fresh feed has no URL for the item`);
    };
    await Promise.all(this.expired.map((request) => queue.add(() => retry(request))));
  }

  private async keep(request: ImageRequest, url: string, image: DownloadedImage): Promise<void> {
    // The extension says what the bytes are, whatever the URL claims (a PNG at x.svg is a .png).
    const name = `${request.slug}${image.type.ext}`;
    if (this.book.blocks(name)) {
      await this.deps.sink.discard(image.path);
      throw new ImageError(
        `${name} in the ${this.book.what}s folder is not a regular file (a symbolic link or a folder); remove it`,
      );
    }
    const record: ImageRecord = { source: imageIdentity(url), bytes: image.size, sha256: image.sha256 };
    this.book.record(request, name, image.path, record);
    this.progress();
  }

  private progress(): void {
    this.done++;
    this.deps.onProgress?.(this.done, this.total);
  }
}
