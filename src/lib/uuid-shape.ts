// 8-4-4-4-12 hexadecimal digits in any letter case, whatever the version and variant bits:
// what docs/providers/ziina.md calls "a UUID in any letter case". (uuid's validate() is stricter: it
// refuses versions it does not know, which would turn such an id into a derived UUIDv5.)
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuidShaped(value: string): boolean {
  return UUID_SHAPE.test(value);
}
