/**
 * A copy of `obj` without the keys whose value is undefined.
 *
 * cdk8s spreads `props.metadata` over the generated name, so `{ name: undefined }` would erase
 * `metadata.name`: build L1 props through this.
 */
export function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}
