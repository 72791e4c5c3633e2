/**
 * The web console's hosting: a private S3 bucket read only by one CloudFront distribution (origin
 * access control), which also fronts the HTTP API under `/v1/*`, `/health` and `/openapi.json`, so
 * the console and the API share one origin and the browser never makes a cross-origin API call.
 *
 * Console paths that name no file (`/deals/01J…`, `/signin/callback`) are rewritten to `/index.html`
 * by a CloudFront Function on the console's behaviour only: an error-response mapping would apply
 * to the whole distribution and turn the API's own 404s into the console's page.
 */
import { Aws, Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  type BehaviorOptions,
  CachedMethods,
  CachePolicy,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { API_SECURITY_HEADERS, consoleSecurityHeaders, type SecurityHeaders } from '../security-headers.ts';

/** Paths of the API that the distribution forwards to the HTTP API (everything else is the console). */
export const API_PATH_PATTERNS = ['/v1/*', '/health', '/openapi.json'] as const;

/**
 * The viewer-request function of the console's behaviour: a path whose last segment has no file
 * extension is a console route, answered by the single page's `index.html`.
 */
export const SPA_REWRITE_SOURCE = `function handler(event) {
  var request = event.request;
  var last = request.uri.substring(request.uri.lastIndexOf('/') + 1);
  if (last.indexOf('.') === -1) request.uri = '/index.html';
  return request;
}`;

const FRAME_OPTIONS = { DENY: HeadersFrameOption.DENY } as const;
const REFERRER_POLICIES = {
  'strict-origin-when-cross-origin': HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
  'no-referrer': HeadersReferrerPolicy.NO_REFERRER,
} as const;

/** A response headers policy sending exactly these headers (infra/security-headers.ts), overriding the origin's. */
const responseHeadersPolicy = (
  scope: Construct,
  id: string,
  comment: string,
  headers: SecurityHeaders,
): ResponseHeadersPolicy =>
  new ResponseHeadersPolicy(scope, id, {
    comment,
    securityHeadersBehavior: {
      contentSecurityPolicy: { contentSecurityPolicy: headers.contentSecurityPolicy, override: true },
      strictTransportSecurity: {
        accessControlMaxAge: Duration.seconds(headers.strictTransportSecurity.maxAgeSeconds),
        includeSubdomains: headers.strictTransportSecurity.includeSubdomains,
        override: true,
      },
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: FRAME_OPTIONS[headers.frameOptions], override: true },
      referrerPolicy: { referrerPolicy: REFERRER_POLICIES[headers.referrerPolicy], override: true },
    },
    ...(Object.keys(headers.custom).length > 0
      ? {
          customHeadersBehavior: {
            customHeaders: Object.entries(headers.custom).map(([header, value]) => ({
              header,
              value,
              override: true,
            })),
          },
        }
      : {}),
  });

export type ConsoleHostingProps = {
  api: IHttpApi;
  /**
   * The header the distribution adds to every request it forwards to the API, whose functions refuse
   * requests without it (functions/http/origin-check.ts).
   */
  originHeader: { name: string; value: string };
  /** The WAFv2 web ACL (scope CLOUDFRONT) that sees every request before the distribution answers. */
  webAclArn: string;
  removalPolicy: RemovalPolicy;
  /** Origins (scheme://host) the console's scripts may call besides its own: the OIDC provider's token endpoint. */
  signInOrigins: string[];
  /** Serve the console at this host name with this certificate (ACM, us-east-1) instead of `*.cloudfront.net`. */
  customDomain?: { host: string; certificate: ICertificate };
};

export class ConsoleHosting extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** The console's URL without a trailing slash: the custom domain's, else the distribution's own. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ConsoleHostingProps) {
    super(scope, id);

    // Only build output lives here: every object is reproducible from the repository, so no
    // versioning; nothing reads it but the distribution.
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      removalPolicy: props.removalPolicy,
    });

    const spaRewrite = new EdgeFunction(this, 'SpaRewrite', {
      comment: 'Console routes (paths without a file extension) answer with /index.html',
      code: FunctionCode.fromInline(SPA_REWRITE_SOURCE),
      runtime: FunctionRuntime.JS_2_0,
    });

    const consoleHeaders = responseHeadersPolicy(
      this,
      'ConsoleHeaders',
      'Security headers of the web console',
      // The token endpoint (code exchange) and presigned S3 uploads of registration evidence.
      consoleSecurityHeaders([...props.signInOrigins, `https://*.s3.${Aws.REGION}.${Aws.URL_SUFFIX}`]),
    );
    const apiHeaders = responseHeadersPolicy(
      this,
      'ApiHeaders',
      'Security headers of the API behind the console distribution',
      API_SECURITY_HEADERS,
    );

    // The HTTP API's $default stage answers at the root of its execute-api host.
    const apiOrigin = new HttpOrigin(`${props.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`, {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
      // Replaces a header of the same name a viewer might send.
      customHeaders: { [props.originHeader.name]: props.originHeader.value },
    });
    // Never cached, every method, every viewer header but Host (Authorization, If-Match,
    // Idempotency-Key, …): the API sees the request the browser sent.
    const apiBehavior: BehaviorOptions = {
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: apiHeaders,
      compress: true,
    };

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Co-sell referrals: the web console, and the API under /v1',
      webAclId: props.webAclArn,
      defaultRootObject: 'index.html',
      httpVersion: HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD_OPTIONS,
        cachedMethods: CachedMethods.CACHE_GET_HEAD_OPTIONS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: consoleHeaders,
        compress: true,
        functionAssociations: [{ function: spaRewrite, eventType: FunctionEventType.VIEWER_REQUEST }],
      },
      additionalBehaviors: Object.fromEntries(API_PATH_PATTERNS.map((pattern) => [pattern, apiBehavior])),
      ...(props.customDomain
        ? {
            domainNames: [props.customDomain.host],
            certificate: props.customDomain.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
    });

    this.url = props.customDomain
      ? `https://${props.customDomain.host}`
      : `https://${this.distribution.distributionDomainName}`;
  }
}
