/**
 * The size DynamoDB counts for an item against its 400 KB limit: every attribute name plus its value
 * (docs: "Item sizes and formats"). Strings are UTF-8 bytes; a number is about one byte per two
 * significant digits plus one; lists and maps take 3 bytes plus 1 byte per element (and a map its
 * keys); booleans and null take 1 byte.
 */
const utf8 = (text: string): number => new TextEncoder().encode(text).length;

const numberSize = (value: number): number => {
  const digits = String(Math.abs(value))
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/^0+/, '')
    .replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
};

export const valueSize = (value: unknown): number => {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberSize(value);
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce((sum: number, element) => sum + valueSize(element), 0);
  if (Array.isArray(value))
    return 3 + value.reduce((sum: number, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>).reduce(
        (sum, [name, element]) => sum + utf8(name) + 1 + valueSize(element),
        0,
      )
    );
  }
  throw new Error(`no DynamoDB size for ${typeof value}`);
};

/** The item's size in bytes as DynamoDB counts it (attribute names + values). */
export const itemSize = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((sum, [name, value]) => sum + utf8(name) + valueSize(value), 0);
