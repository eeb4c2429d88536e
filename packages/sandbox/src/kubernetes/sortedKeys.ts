/**
 * Sorted arrays of object keys (`namespace/name`, or `name` for cluster-scoped kinds), in the order
 * the API server lists objects: etcd's byte order of the keys, which for the ASCII of Kubernetes
 * names is JavaScript's string order.
 */

/** The first index whose key is not below `key` (`keys.length` if there is none). */
export function lowerBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle] < key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first index whose key is above `key` (`keys.length` if there is none). */
export function upperBound(keys: readonly string[], key: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle] <= key) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Adds a key where it sorts (no-op if it is there). */
export function insertKey(keys: string[], key: string) {
  const index = lowerBound(keys, key);
  if (keys[index] !== key) keys.splice(index, 0, key);
}

/** Removes a key (no-op if it is not there). */
export function removeKey(keys: string[], key: string) {
  const index = lowerBound(keys, key);
  if (keys[index] === key) keys.splice(index, 1);
}

/**
 * The indexes `[from, to)` of the keys in a namespace: `<namespace>/...` sort together, between
 * `<namespace>/` and `<namespace>0` (`0` being the character after `/`).
 */
export function namespaceRange(
  keys: readonly string[],
  namespace: string,
): [number, number] {
  return [lowerBound(keys, `${namespace}/`), lowerBound(keys, `${namespace}0`)];
}
