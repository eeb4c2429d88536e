/**
 * The part of the Reflect metadata API (the `reflect-metadata` proposal) that `@peculiar/x509`'s
 * dependency injection (tsyringe) needs: tsyringe refuses to load without it. Installed only when
 * no polyfill is present; a full polyfill loaded later replaces it.
 */
type MetadataKey = unknown;
type PropertyKey_ = string | symbol | undefined;

interface ReflectWithMetadata {
  getMetadata?: unknown;
  [name: string]: unknown;
}

const reflect = Reflect as unknown as ReflectWithMetadata;

if (typeof reflect.getMetadata !== 'function') {
  const store = new WeakMap<
    object,
    Map<PropertyKey_, Map<MetadataKey, unknown>>
  >();
  const own = (target: object, property: PropertyKey_, create: boolean) => {
    let byProperty = store.get(target);
    if (!byProperty) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let byKey = byProperty.get(property);
    if (!byKey && create) {
      byKey = new Map();
      byProperty.set(property, byKey);
    }
    return byKey;
  };
  const find = (target: object, key: MetadataKey, property: PropertyKey_) => {
    for (
      let t: object | null = target;
      t;
      t = Object.getPrototypeOf(t) as object | null
    ) {
      const byKey = own(t, property, false);
      if (byKey?.has(key)) return { value: byKey.get(key) };
    }
    return undefined;
  };
  const api: Record<string, Function> = {
    defineMetadata(
      key: MetadataKey,
      value: unknown,
      target: object,
      property?: PropertyKey_,
    ) {
      own(target, property, true)!.set(key, value);
    },
    getOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey_) {
      return own(target, property, false)?.get(key);
    },
    hasOwnMetadata(key: MetadataKey, target: object, property?: PropertyKey_) {
      return own(target, property, false)?.has(key) ?? false;
    },
    getMetadata(key: MetadataKey, target: object, property?: PropertyKey_) {
      return find(target, key, property)?.value;
    },
    hasMetadata(key: MetadataKey, target: object, property?: PropertyKey_) {
      return find(target, key, property) !== undefined;
    },
    deleteMetadata(key: MetadataKey, target: object, property?: PropertyKey_) {
      return own(target, property, false)?.delete(key) ?? false;
    },
    metadata(key: MetadataKey, value: unknown) {
      return (target: object, property?: PropertyKey_) =>
        api.defineMetadata(key, value, target, property);
    },
  };
  for (const [name, fn] of Object.entries(api)) {
    Object.defineProperty(Reflect, name, {
      configurable: true,
      writable: true,
      value: fn,
    });
  }
}

export {};
