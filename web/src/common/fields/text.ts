/** A text field's content as the API takes it: trimmed, and left out when blank. */
export const optionalText = (value: string): string | undefined =>
  value.trim() === '' ? undefined : value.trim();
