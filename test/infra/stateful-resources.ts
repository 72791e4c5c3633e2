/**
 * The resources that hold data (the table, the buckets, the user pool, the key that seals webhook
 * secrets), reduced to what decides
 * whether CloudFormation can move a deployed stack to a new template in one update without losing
 * it: the logical id, the type and the properties it cannot change in place. A snapshot of the last
 * release (stateful-snapshot.json, written by infra/scripts/snapshot-stateful.ts) is compared with
 * each synthesis by upgrade.test.ts.
 */
import { type STAGE_CONTEXTS, synthesize } from './stacks.ts';

export type StatefulResource = {
  stack: string;
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
};

export type TemplateJson = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};

type Gsi = { IndexName: string; KeySchema: unknown; Projection: unknown };

type StatefulType = {
  noun: string;
  /** Properties whose change makes CloudFormation create a new resource and delete the old one. */
  replacing: readonly string[];
  /** Properties it updates in place, but not every change of them in one update. */
  updated: readonly string[];
};

/**
 * Replacement per the CloudFormation resource reference (Table: TableName, KeySchema,
 * LocalSecondaryIndexes; Bucket: BucketName; Key: KeySpec, KeyUsage, MultiRegion, Origin) and
 * Cognito's own list of settings a user pool cannot change after it is created. A replaced key is
 * data lost like a replaced table: what it sealed opens with no other key.
 */
const STATEFUL_TYPES: Record<string, StatefulType> = {
  'AWS::DynamoDB::Table': {
    noun: 'table',
    replacing: ['TableName', 'KeySchema', 'LocalSecondaryIndexes'],
    updated: ['GlobalSecondaryIndexes', 'StreamSpecification', 'TimeToLiveSpecification'],
  },
  'AWS::S3::Bucket': { noun: 'bucket', replacing: ['BucketName'], updated: [] },
  'AWS::KMS::Key': {
    noun: 'key',
    replacing: ['KeySpec', 'KeyUsage', 'MultiRegion', 'Origin'],
    updated: [],
  },
  'AWS::Cognito::UserPool': {
    noun: 'user pool',
    replacing: ['UserPoolName', 'UsernameAttributes', 'AliasAttributes', 'UsernameConfiguration'],
    updated: [],
  },
};

const json = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

const sameValue = (a: unknown, b: unknown): boolean => json(a) === json(b);

/** A GSI as the comparison sees it: its name, keys and projection (CloudFormation's own fields). */
const gsiShape = (index: Record<string, unknown>): Gsi => ({
  IndexName: index.IndexName as string,
  KeySchema: index.KeySchema,
  Projection: index.Projection,
});

/** The stateful resources of synthesized templates, keyed by stack name. */
export const statefulResources = (templates: Record<string, TemplateJson>): StatefulResource[] =>
  Object.entries(templates).flatMap(([stack, template]) =>
    Object.entries(template.Resources ?? {}).flatMap(([logicalId, resource]) => {
      const kind = STATEFUL_TYPES[resource.Type];
      if (!kind) return [];
      const given = resource.Properties ?? {};
      const properties: Record<string, unknown> = {};
      for (const name of [...kind.replacing, ...kind.updated]) {
        if (given[name] === undefined) continue;
        properties[name] =
          name === 'GlobalSecondaryIndexes'
            ? (given[name] as Record<string, unknown>[]).map(gsiShape)
            : given[name];
      }
      return [{ stack, logicalId, type: resource.Type, properties }];
    }),
  );

export type GsiChanges = { added: string[]; removed: string[]; changed: string[] };

/** Which GSIs a table update adds, removes, or keeps under its name with other keys or projection. */
export const gsiChanges = (previous: Record<string, unknown>, next: Record<string, unknown>): GsiChanges => {
  const before = new Map(((previous.GlobalSecondaryIndexes ?? []) as Gsi[]).map((i) => [i.IndexName, i]));
  const after = new Map(((next.GlobalSecondaryIndexes ?? []) as Gsi[]).map((i) => [i.IndexName, i]));
  return {
    added: [...after.keys()].filter((name) => !before.has(name)),
    removed: [...before.keys()].filter((name) => !after.has(name)),
    changed: [...after.keys()].filter((name) => {
      const old = before.get(name);
      return old !== undefined && !sameValue(old, after.get(name));
    }),
  };
};

const tableProblems = (name: string, previous: StatefulResource, next: StatefulResource): string[] => {
  const problems: string[] = [];
  const { added, removed, changed } = gsiChanges(previous.properties, next.properties);
  if (added.length + removed.length > 1) {
    problems.push(
      `${name} would add ${added.length} GSI(s) (${added.join(', ') || 'none'}) and remove ` +
        `${removed.length} (${removed.join(', ') || 'none'}) in one update, but CloudFormation creates ` +
        'or deletes only one GSI per update: deploy them one at a time (-c upgradeStep=<index>).',
    );
  }
  for (const index of changed) {
    const before = (previous.properties.GlobalSecondaryIndexes as Gsi[]).find((i) => i.IndexName === index);
    const after = (next.properties.GlobalSecondaryIndexes as Gsi[]).find((i) => i.IndexName === index);
    problems.push(
      `${name}'s GSI ${index} would change its keys or projection (${json(before)} to ${json(after)}), ` +
        'which CloudFormation cannot do to an existing index: add the new index under a new name, ' +
        'and remove the old one in a later update.',
    );
  }
  const streamBefore = previous.properties.StreamSpecification;
  const streamAfter = next.properties.StreamSpecification;
  if (streamBefore !== undefined && !sameValue(streamBefore, streamAfter)) {
    problems.push(
      `${name}'s stream would change from ${json(streamBefore)} to ${json(streamAfter)}: DynamoDB ` +
        'ends the old stream, and the records its consumers have not read yet (the outbox) are lost.',
    );
  }
  const ttlBefore = previous.properties.TimeToLiveSpecification as { AttributeName?: string } | undefined;
  const ttlAfter = next.properties.TimeToLiveSpecification as { AttributeName?: string } | undefined;
  if (
    ttlBefore?.AttributeName &&
    ttlAfter?.AttributeName &&
    ttlBefore.AttributeName !== ttlAfter.AttributeName
  ) {
    problems.push(
      `${name}'s TTL attribute would change from ${ttlBefore.AttributeName} to ${ttlAfter.AttributeName}, ` +
        'which DynamoDB only allows after TTL has been disabled (one update, then up to an hour) and ' +
        'enabled again in another.',
    );
  }
  return problems;
};

/**
 * A stateful resource that a release moves to another stack under the same logical id. An ordinary
 * deploy cannot do that (the old stack would delete or orphan it, the new one would create an empty
 * one): the operator moves it first with a CloudFormation stack refactor, as docs/deploy.md says
 * for each move listed here, and only then deploys.
 */
export type StackMove = { type: string; logicalId: string; from: string; to: string };

/** The moves of this release, for every stage (`<stage>` in a stack name stands for the stage's name). */
export const STACK_MOVES: readonly StackMove[] = [
  {
    type: 'AWS::Cognito::UserPool',
    logicalId: 'UserPool6BA7E5F2',
    from: 'CoSell-<stage>-Api',
    to: 'CoSell-<stage>-Users',
  },
];

/** The moves for one stage's stack names. */
export const stackMovesOf = (stage: string, moves: readonly StackMove[] = STACK_MOVES): StackMove[] =>
  moves.map((move) => ({
    ...move,
    from: move.from.replace('<stage>', stage),
    to: move.to.replace('<stage>', stage),
  }));

/** The released resources as they stand after the declared stack refactors. */
const afterMoves = (previous: StatefulResource[], moves: readonly StackMove[]): StatefulResource[] =>
  previous.map((resource) => {
    const move = moves.find(
      (candidate) =>
        candidate.type === resource.type &&
        candidate.logicalId === resource.logicalId &&
        candidate.from === resource.stack,
    );
    return move ? { ...resource, stack: move.to } : resource;
  });

/**
 * Why deploying `next` over a stack that holds `previous` would fail, or replace or lose a stateful
 * resource: one sentence a person can act on per problem, none when the upgrade is safe. `moves`
 * are the stack refactors the operator runs before the deploy (docs/deploy.md).
 */
export const upgradeProblems = (
  released: StatefulResource[],
  next: StatefulResource[],
  moves: readonly StackMove[] = [],
): string[] => {
  const previous = afterMoves(released, moves);
  const isNew = (resource: StatefulResource) =>
    !previous.some((old) => old.stack === resource.stack && old.logicalId === resource.logicalId);
  return previous.flatMap((old) => {
    const kind = STATEFUL_TYPES[old.type]!;
    const name = `${old.stack}'s ${kind.noun} ${old.logicalId}`;
    const kept = next.find(
      (resource) => resource.stack === old.stack && resource.logicalId === old.logicalId,
    );
    if (!kept) {
      const successor = next.find((resource) => resource.type === old.type && isNew(resource));
      if (successor) {
        const where =
          successor.stack === old.stack
            ? `is now ${successor.logicalId}`
            : `moves to ${successor.stack} as ${successor.logicalId}`;
        return [
          `${name} ${where}: CloudFormation would create a new, empty ${kind.noun} and delete (or, where ` +
            `retained, orphan) the one holding the data. Keep its construct id and stack, or override the ` +
            `logical id back to ${old.logicalId}; a move to another stack is a stack refactor the ` +
            'operator runs first (declare it in STACK_MOVES and in docs/deploy.md).',
        ];
      }
      return [
        `${name} is no longer in the template: the update would delete it with its data (or, where ` +
          'retained, orphan it).',
      ];
    }
    if (kept.type !== old.type) {
      return [`${name} would become a ${kept.type}: CloudFormation replaces it, and its data goes.`];
    }
    const replaced = kind.replacing
      .filter((property) => !sameValue(old.properties[property], kept.properties[property]))
      .map(
        (property) =>
          `${name} would change ${property} from ${json(old.properties[property])} to ` +
          `${json(kept.properties[property])}: CloudFormation can only do that by creating a new ` +
          `${kind.noun}, without the old one's data.`,
      );
    return [...replaced, ...(old.type === 'AWS::DynamoDB::Table' ? tableProblems(name, old, kept) : [])];
  });
};

export type StageKey = keyof typeof STAGE_CONTEXTS;

export type StatefulSnapshot = { $comment: string; stages: Record<StageKey, StatefulResource[]> };

export const STATEFUL_SNAPSHOT_FILE = new URL('./stateful-snapshot.json', import.meta.url);

/** The stateful resources of the app as `cdk synth` makes it with this context. */
export const synthesizedStatefulResources = (context: Record<string, string>): StatefulResource[] => {
  const { data, api, users, dataTemplate, apiTemplate, usersTemplate } = synthesize(context);
  return statefulResources({
    [data.stackName]: dataTemplate.toJSON() as TemplateJson,
    ...(users && usersTemplate ? { [users.stackName]: usersTemplate.toJSON() as TemplateJson } : {}),
    [api.stackName]: apiTemplate.toJSON() as TemplateJson,
  });
};
