import { describe, expect, it } from 'vitest';
import { matchesIfNoneMatch } from '#functions/http/middleware/conditional-get.ts';

describe('If-None-Match matching (weak comparison)', () => {
  it.each([
    ['"abc"', '"abc"', true],
    ['W/"abc"', '"abc"', true],
    ['"abc"', 'W/"abc"', true],
    ['"x", "abc" ,"y"', '"abc"', true],
    ['*', '"abc"', true],
    ['"abd"', '"abc"', false],
    ['abc', '"abc"', false],
    ['', '"abc"', false],
  ])('%s against %s → %s', (header, etag, expected) => {
    expect(matchesIfNoneMatch(header, etag)).toBe(expected);
  });
});
