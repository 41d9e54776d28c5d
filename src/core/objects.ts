/**
 * A copy of `obj` without the keys whose value is undefined.
 *
 * cdk8s spreads `props.metadata` over the generated name, so `{ name: undefined }` would erase
 * `metadata.name`: build L1 props through this.
 */
export function definedOnly<T extends object>(obj: T): T {
  // An index loop: this runs for every object every pattern creates, and both
  // `Object.fromEntries(Object.entries(obj).filter(...))` and a for-of loop allocate per key.
  const result: { [key: string]: unknown } = {};
  const keys = Object.keys(obj);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const value = (obj as { [key: string]: unknown })[key];
    if (value === undefined) continue;
    if (key === '__proto__') {
      // An own property, as `Object.fromEntries` makes it (an assignment would set the prototype).
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
    } else {
      result[key] = value;
    }
  }
  return result as T;
}
