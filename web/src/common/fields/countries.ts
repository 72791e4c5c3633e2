/**
 * Countries to pick from, named in the person's language by the browser's own region names (no list
 * shipped): every two-letter code the browser can name, alphabetically by name. The API stays the
 * judge of which codes it takes.
 */
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Codes browsers name that are no country (the EU, the UN, the eurozone, pseudo-regions). */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'QO', 'XA', 'XB', 'ZZ']);

export type Country = { code: string; name: string };

let cached: Country[] | undefined;

export const countries = (): Country[] => {
  if (cached) return cached;
  const names = new Intl.DisplayNames(undefined, { type: 'region', fallback: 'none' });
  const found: Country[] = [];
  for (const first of LETTERS)
    for (const second of LETTERS) {
      const code = first + second;
      const name = NOT_COUNTRIES.has(code) ? undefined : names.of(code);
      if (name && name !== code) found.push({ code, name });
    }
  cached = found.sort((a, b) => a.name.localeCompare(b.name));
  return cached;
};
