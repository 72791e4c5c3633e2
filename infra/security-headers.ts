/**
 * The security headers of every answer the console's origin gives: the console's pages and files,
 * and the API's JSON. One list for both places that send them: CloudFront's response headers
 * policies (infra/constructs/console-hosting.ts) and the local gateway (infra/local/gateway.ts), so
 * what a browser is allowed locally is what it is allowed in the cloud.
 */

export type SecurityHeaders = {
  contentSecurityPolicy: string;
  strictTransportSecurity: { maxAgeSeconds: number; includeSubdomains: boolean };
  /** `X-Content-Type-Options: nosniff`. */
  contentTypeOptions: true;
  frameOptions: 'DENY';
  referrerPolicy: 'strict-origin-when-cross-origin' | 'no-referrer';
  /** Headers CloudFront sends as custom headers (its security headers have no field for them). */
  custom: Readonly<Record<string, string>>;
};

const HSTS = { maxAgeSeconds: 730 * 24 * 3600, includeSubdomains: true };

/**
 * The console's pages. `connectOrigins`: what its scripts may call besides its own origin, the sign-in
 * provider's token endpoint and the attachments bucket's presigned URLs.
 */
export const consoleSecurityHeaders = (connectOrigins: readonly string[]): SecurityHeaders => ({
  contentSecurityPolicy: [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectOrigins].join(' ')}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  strictTransportSecurity: HSTS,
  contentTypeOptions: true,
  frameOptions: 'DENY',
  referrerPolicy: 'strict-origin-when-cross-origin',
  custom: {
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
  },
});

/** The API's JSON answers: nothing in them may run or be framed. */
export const API_SECURITY_HEADERS: SecurityHeaders = {
  contentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
  strictTransportSecurity: HSTS,
  contentTypeOptions: true,
  frameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
  custom: {},
};

/** The headers as a response carries them (lower-case names, CloudFront's rendering of each value). */
export const securityHeaderFields = (headers: SecurityHeaders): Record<string, string> => ({
  'content-security-policy': headers.contentSecurityPolicy,
  'strict-transport-security': `max-age=${headers.strictTransportSecurity.maxAgeSeconds}${
    headers.strictTransportSecurity.includeSubdomains ? '; includeSubDomains' : ''
  }`,
  'x-content-type-options': 'nosniff',
  'x-frame-options': headers.frameOptions,
  'referrer-policy': headers.referrerPolicy,
  ...Object.fromEntries(Object.entries(headers.custom).map(([name, value]) => [name.toLowerCase(), value])),
});
