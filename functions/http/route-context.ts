import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { ClaimedCaller } from '#domain/deals/use-cases/read-deals.ts';
import type { Deps } from '#domain/deps.ts';
import type { SignInClaims } from '#domain/identity/sign-in.ts';
import type { Actor } from '#domain/kernel/actor.ts';
import type { Page, PageRequest } from '#domain/kernel/page.ts';

/**
 * The API Gateway HTTP API (payload 2.0) event, with the claims its Lambda authorizer verified
 * (functions/authorizer/authorize.ts) as the authorizer's context.
 */
export type HttpEvent = APIGatewayProxyEventV2 & {
  requestContext: APIGatewayProxyEventV2['requestContext'] & {
    authorizer?: { lambda?: Record<string, string | number | boolean> };
  };
};
export type HttpResponse = APIGatewayProxyStructuredResultV2;

export type HttpResult = { status: number; body?: unknown; headers?: Record<string, string> };

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** Success responses by status: the body's schema, or `null` for none (204). Errors are problem+json. */
export type ResponseSpec = Readonly<Record<number, z.ZodType | null>>;

export type RouteSpec<
  B extends Schema | undefined,
  Q extends Schema | undefined,
  P extends Schema | undefined,
> = {
  /** The body's schema; a route without one takes no body (any but none or `{}` is a 400). */
  body?: B;
  /**
   * Declares that a POST, PUT or PATCH route takes no body (every such route names its `body` or
   * this; test/unit/http/route-bodies.test.ts holds them to it).
   */
  noBody?: true;
  query?: Q;
  params?: P;
  /** What the route answers when it succeeds; the OpenAPI document adds the problem responses. */
  responses?: ResponseSpec;
  /** One line for the OpenAPI document. */
  summary?: string;
  /** What the operation does, who may call it and what it answers, for the OpenAPI document (Markdown). */
  description?: string;
  /**
   * Fields of the success body that only the first answer shows (a signing secret): an idempotency
   * record never stores them, so a replay answers without them and names them in `shown-only-once`.
   */
  shownOnce?: readonly string[];
  /**
   * The operation's authorization for this caller, as its use case exposes it (the domain decides
   * whether the caller may do this to this item: 403, 404), changing nothing. An Idempotency-Key
   * replay answers only after it passed; every POST member route names one
   * (test/unit/http/route-authorize.test.ts).
   */
  authorize?(request: AuthedRequest<B, Q, P>): Promise<void> | void;
  /** Named request examples for the document; a unit test parses each with `body`. */
  examples?: Readonly<Record<string, { summary: string; value: unknown }>>;
};

export type AnyRouteSpec = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;

export type RouteRequest<B, Q, P> = {
  body: Out<B>;
  query: Out<Q>;
  params: Out<P>;
  deps: Deps;
  requestId: string;
  /** The version named by If-Match, if the client sent one (`*` counts as none). */
  ifMatch: number | undefined;
  /**
   * The page the client asked for; the cursor is checked against this route, the caller (the
   * request's, or `actor` when a route decides on another one) and the query.
   */
  page: (limit: number, cursor: string | undefined, actor?: Pick<Actor, 'orgId' | 'sub'>) => PageRequest;
  /** Renders a page as `{ items, nextCursor }` with a cursor bound to this route, caller and query. */
  pageBody: <T, V>(page: Page<T>, view: (item: T) => V) => { items: V[]; nextCursor: string | null };
};

export type AuthedRequest<B, Q, P> = RouteRequest<B, Q, P> & {
  /** The caller; on a route that reads its caller itself (`claimed`), read `caller` instead. */
  actor: Actor;
  /**
   * On a route that reads its caller itself: the membership the token claims, to be confirmed by
   * the use case's own read (then named with `callerDecided`); otherwise the actor itself.
   */
  caller: Actor | ClaimedCaller;
  /** The caller the route decided on: logs and the cursors it renders follow it. */
  callerDecided: (actor: Actor) => void;
};

/** A request of a signed-in person who need not be a member (their own invitations). */
export type PersonRequest<B, Q, P> = RouteRequest<B, Q, P> & { person: SignInClaims };

/** A request as the parsing stage leaves it, before the route's function narrows its types. */
export type ParsedRequest = RouteRequest<Schema, Schema, Schema> &
  Partial<Pick<AuthedRequest<Schema, Schema, Schema>, 'actor' | 'caller' | 'callerDecided'>>;

/** What each stage of the pipeline leaves on the Lambda context for the stages after it. */
export interface RouteContext extends Context {
  /** `jsonBody`: the parsed body (`{}` when there is none). */
  rawBody?: unknown;
  /** `signedIn`: the person the token names, on routes that need no membership. */
  person?: SignInClaims;
  /** `membership`: the caller, on member routes. */
  actor?: Actor;
  /** `membership`: the ports, when it read items the route names together with the caller. */
  deps?: Deps;
  /** `membership`: the claims of a caller its token claims a membership for; the route's read confirms it. */
  claimed?: ClaimedCaller['claims'];
  /** `parseRequest`: the validated request the route's function receives. */
  request?: ParsedRequest;
}
