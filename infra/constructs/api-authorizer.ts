/**
 * The HTTP API's Lambda authorizer: one function (functions/authorizer/authorize.ts) that accepts
 * people's ID tokens and the access tokens of API clients made at run time, which a JWT
 * authorizer's static audience list could not name (docs/decisions/0130-lambda-authorizer-for-api-clients.md).
 * API Gateway caches no result: each request is verified (the function keeps the issuer's keys and
 * the tokens it verified in memory), so a token is never accepted past its expiry.
 */
import { Duration } from 'aws-cdk-lib';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { Construct } from 'constructs';
import { AUTHORIZER_FUNCTION } from '#functions/environment.ts';
import { NO_TABLE_ACCESS } from '#functions/table-access.ts';
import type { AppFunction } from './app-function.ts';
import type { FunctionFactory } from './function-factory.ts';

export type ApiAuthorizerProps = { functions: FunctionFactory };

export class ApiAuthorizer extends Construct {
  readonly function: AppFunction;
  readonly authorizer: HttpLambdaAuthorizer;

  constructor(scope: Construct, id: string, props: ApiAuthorizerProps) {
    super(scope, id);
    // It verifies one signature per new token and holds no data: a small function answers fastest for its cost.
    this.function = props.functions(this, AUTHORIZER_FUNCTION, NO_TABLE_ACCESS, { memorySize: 512 });
    this.authorizer = new HttpLambdaAuthorizer('BearerAuthorizer', this.function.function, {
      authorizerName: 'bearer-tokens',
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      identitySource: ['$request.header.Authorization'],
      resultsCacheTtl: Duration.seconds(0),
    });
  }
}
