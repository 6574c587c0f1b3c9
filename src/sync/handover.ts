/**
 * A value one stage hands to the next and then no longer holds: `take` gives it once. For a value too large to keep
 * alive past its use (a 100k-item feed's parse is ~270 MB): a caller's frame holds the handover, not the value, so
 * the value is garbage as soon as the stage that took it is through with it.
 */
export class Handover<T> {
  #value: T | undefined;

  constructor(value: T) {
    this.#value = value;
  }

  take(): T {
    const value = this.#value;
    if (value === undefined) throw new Error('a value was taken twice from its handover (a bug of the tool)');
    this.#value = undefined;
    return value;
  }
}
