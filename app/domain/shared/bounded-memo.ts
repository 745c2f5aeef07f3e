/**
 * Memoises a pure function of strings with a bounded cache. Sends repeat the same
 * product, image and recovery URLs for thousands of recipients, and parsing each one
 * with `URL` was a measurable share of composing an email. The cache is cleared when
 * full rather than kept as an LRU: the working set is small, and clearing is cheap.
 */
export function boundedMemo<A extends string[]>(fn: (...args: A) => string, maxEntries = 2000): (...args: A) => string {
  const cache = new Map<string, string>();
  return (...args) => {
    // Every argument but the last is length-prefixed, so no two argument lists share a key.
    let key = args[args.length - 1]!;
    for (let i = args.length - 2; i >= 0; i--) key = `${args[i]!.length}:${args[i]}${key}`;
    let value = cache.get(key);
    if (value === undefined) {
      value = fn(...args);
      if (cache.size >= maxEntries) cache.clear();
      cache.set(key, value);
    }
    return value;
  };
}
