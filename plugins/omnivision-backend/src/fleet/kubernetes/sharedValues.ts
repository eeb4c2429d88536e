/**
 * Equal values kept once. The summaries of a cluster's 150,000 pods repeat a few namespaces,
 * nodes, phases, images, label sets and GPU requests: sharing them makes the caches a fraction of
 * the objects, which is what the garbage collector's pauses grow with. Shared objects are frozen;
 * nothing that reads a summary writes to it.
 */
export class SharedValues {
  readonly #strings = new Map<string, string>();
  readonly #objects = new Map<string, object>();

  /** How many distinct values are kept at most: past it, sharing starts over. */
  constructor(private readonly limit = 100_000) {}

  /** The one copy of `value`. */
  string<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    const known = this.#strings.get(value);
    if (known !== undefined) return known as T;
    if (this.#strings.size >= this.limit) this.#strings.clear();
    this.#strings.set(value, value);
    return value;
  }

  /** The one frozen copy of a JSON-like object or array equal to `value`. */
  object<T extends object>(value: T): T {
    const key = JSON.stringify(value);
    const known = this.#objects.get(key);
    if (known !== undefined) return known as T;
    if (this.#objects.size >= this.limit) this.#objects.clear();
    Object.freeze(value);
    this.#objects.set(key, value);
    return value;
  }
}
