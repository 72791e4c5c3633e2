/**
 * The download's `Content-Disposition` (RFC 6266, RFC 8187): what a browser saves a file as must be
 * the name the uploader gave, whatever characters it holds, and the header must stay well formed.
 */
import { parse } from 'content-disposition';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from '#functions/adapters/s3/file-store.ts';

/** RFC 8187 `value-chars`: `attr-char`s and percent-encoded octets, nothing else. */
const VALUE_CHARS = /^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})*$/;

const extendedValue = (header: string): string | undefined => /filename\*=UTF-8''([^;\s]*)/.exec(header)?.[1];

describe('Content-Disposition of a download', () => {
  it.each(["Mär's offer (final)*.pdf", 'Vertrag März.pdf', '見積書 2026.pdf', 'x\u0001y\nz.pdf'])(
    'names %j exactly, with only RFC 8187 value-chars in filename*',
    (name) => {
      const header = contentDisposition(name);
      expect(header).toMatch(/^attachment; filename="[\x20-\x7e]*"; filename\*=/);
      expect(extendedValue(header)).toMatch(VALUE_CHARS);
      expect(parse(header).parameters.filename).toBe(name);
    },
  );

  it.each(['quote "draft" \\ v2.pdf', "it's (final)*.pdf"])(
    'names the ASCII name %j exactly in a quoted filename',
    (name) => {
      const header = contentDisposition(name);
      expect(header).toMatch(/^attachment; filename="/);
      expect(parse(header).parameters.filename).toBe(name);
    },
  );

  it("percent-encodes ' ( ) * in filename*, which encodeURIComponent leaves", () => {
    expect(extendedValue(contentDisposition("Mär's (1)*.pdf"))).toBe('M%C3%A4r%27s%20%281%29%2A.pdf');
  });

  it('sends a plain ASCII name as a plain filename', () => {
    expect(parse(contentDisposition('contract.pdf'))).toEqual({
      type: 'attachment',
      parameters: { filename: 'contract.pdf' },
    });
  });
});
