/**
 * A release deploys over the last one: CloudFormation must be able to apply the new template to the
 * deployed stacks in one update, and no stateful resource may be replaced or go. The last release's
 * stateful resources are in stateful-snapshot.json (regenerated at each release).
 */
import { readFileSync } from 'node:fs';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { STAGE_CONTEXTS, synthesize } from './stacks.ts';
import {
  gsiChanges,
  STACK_MOVES,
  STATEFUL_SNAPSHOT_FILE,
  type StatefulResource,
  type StatefulSnapshot,
  stackMovesOf,
  statefulResources,
  synthesizedStatefulResources,
  type TemplateJson,
  upgradeProblems,
} from './stateful-resources.ts';

const snapshot = JSON.parse(readFileSync(STATEFUL_SNAPSHOT_FILE, 'utf8')) as StatefulSnapshot;

describe.each(Object.keys(STAGE_CONTEXTS) as (keyof typeof STAGE_CONTEXTS)[])(
  'upgrading %s from the last release',
  (stage) => {
    it('holds the table, both buckets and the user pool of the last release', () => {
      expect(snapshot.stages[stage].map((resource) => resource.type).sort()).toEqual([
        'AWS::Cognito::UserPool',
        'AWS::DynamoDB::Table',
        'AWS::S3::Bucket',
        'AWS::S3::Bucket',
      ]);
    });

    it('keeps every stateful resource and changes nothing CloudFormation cannot apply in one update', () => {
      const problems = upgradeProblems(
        snapshot.stages[stage],
        synthesizedStatefulResources(STAGE_CONTEXTS[stage]),
        stackMovesOf(stage),
      );
      expect(problems).toEqual([]);
    });

    it('moves the user pool to the Users stack under its logical id, by a stack refactor only', () => {
      const synthesized = synthesizedStatefulResources(STAGE_CONTEXTS[stage]);
      expect(synthesized.find((resource) => resource.type === 'AWS::Cognito::UserPool')).toMatchObject({
        stack: `CoSell-${stage}-Users`,
        logicalId: 'UserPool6BA7E5F2',
      });
      // Deployed without the refactor, the Api stack would drop the pool and the Users stack make a new one.
      expect(upgradeProblems(snapshot.stages[stage], synthesized)).toEqual([
        expect.stringMatching(
          new RegExp(
            `^CoSell-${stage}-Api's user pool UserPool6BA7E5F2 moves to CoSell-${stage}-Users as UserPool6BA7E5F2: .*stack refactor`,
          ),
        ),
      ]);
    });

    it('changes no GSI: gsi3 serves deal owners with the keys and projection it was deployed with', () => {
      const table = (resources: StatefulResource[]) =>
        resources.find((resource) => resource.type === 'AWS::DynamoDB::Table')!.properties;
      expect(
        gsiChanges(table(snapshot.stages[stage]), table(synthesizedStatefulResources(STAGE_CONTEXTS[stage]))),
      ).toEqual({ added: [], removed: [], changed: [] });
    });
  },
);

describe('the upgrade check on a changed template', () => {
  const { data, api, users, dataTemplate, apiTemplate, usersTemplate } = synthesize(STAGE_CONTEXTS.prod);
  const moves = stackMovesOf('prod');
  /**
   * The last release with this release's own GSIs (the same as deployed, held above), so each case
   * below measures only its own edit.
   */
  const indexesNow = synthesizedStatefulResources(STAGE_CONTEXTS.prod).find(
    (resource) => resource.type === 'AWS::DynamoDB::Table',
  )!.properties.GlobalSecondaryIndexes;
  const released = snapshot.stages.prod.map((resource) =>
    resource.type === 'AWS::DynamoDB::Table'
      ? { ...resource, properties: { ...resource.properties, GlobalSecondaryIndexes: indexesNow } }
      : resource,
  );

  type Resource = { Type: string; Properties: Record<string, unknown> };
  /** The prod templates as synthesized, changed by `edit` (a copy each time). */
  const changed = (edit: (resources: Record<string, Record<string, Resource>>) => void) => {
    const templates = {
      [data.stackName]: structuredClone(dataTemplate.toJSON()),
      [api.stackName]: structuredClone(apiTemplate.toJSON()),
      [users!.stackName]: structuredClone(usersTemplate!.toJSON()),
    } as Record<string, { Resources: Record<string, Resource> }>;
    edit(Object.fromEntries(Object.entries(templates).map(([stack, t]) => [stack, t.Resources])));
    return upgradeProblems(released, statefulResources(templates as Record<string, TemplateJson>), moves);
  };
  const byType = (resources: Record<string, Resource>, type: string): [string, Resource][] =>
    Object.entries(resources).filter(([, resource]) => resource.Type === type);
  const tableOf = (resources: Record<string, Record<string, Resource>>): Resource =>
    byType(resources[data.stackName]!, 'AWS::DynamoDB::Table')[0]![1];
  const gsi = (name: string) => ({
    IndexName: name,
    KeySchema: [
      { AttributeName: `${name}pk`, KeyType: 'HASH' },
      { AttributeName: `${name}sk`, KeyType: 'RANGE' },
    ],
    Projection: { ProjectionType: 'ALL' },
  });
  const addGsis = (resources: Record<string, Record<string, Resource>>, ...names: string[]) => {
    const table = tableOf(resources);
    table.Properties.GlobalSecondaryIndexes = [
      ...(table.Properties.GlobalSecondaryIndexes as unknown[]),
      ...names.map(gsi),
    ];
  };

  it('finds nothing when the template is the one released', () => {
    expect(changed(() => {})).toEqual([]);
  });

  it('lets one new GSI through: CloudFormation adds it in one update', () => {
    expect(changed((resources) => addGsis(resources, 'gsi7'))).toEqual([]);
  });

  it('stops a second GSI in the same update, saying how to deploy them', () => {
    expect(changed((resources) => addGsis(resources, 'gsi7', 'gsi8'))).toEqual([
      "CoSell-prod-Data's table TableCD117FA1 would add 2 GSI(s) (gsi7, gsi8) and remove 0 (none) in one " +
        'update, but CloudFormation creates or deletes only one GSI per update: deploy them one at a time ' +
        '(-c upgradeStep=<index>).',
    ]);
  });

  it('stops a GSI added while another is removed', () => {
    const problems = changed((resources) => {
      const table = tableOf(resources);
      const indexes = table.Properties.GlobalSecondaryIndexes as { IndexName: string }[];
      table.Properties.GlobalSecondaryIndexes = [
        ...indexes.filter((i) => i.IndexName !== 'gsi2'),
        gsi('gsi7'),
      ];
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('add 1 GSI(s) (gsi7) and remove 1 (gsi2)');
  });

  it("stops a change to a GSI's keys", () => {
    const problems = changed((resources) => {
      const indexes = tableOf(resources).Properties.GlobalSecondaryIndexes as { KeySchema: unknown[] }[];
      indexes[1]!.KeySchema = [{ AttributeName: 'gsi2pk', KeyType: 'HASH' }];
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^CoSell-prod-Data's table TableCD117FA1's GSI gsi2 would change its keys/);
  });

  it("stops a change to the table's keys or name (a new, empty table)", () => {
    const problems = changed((resources) => {
      const table = tableOf(resources);
      table.Properties.KeySchema = [{ AttributeName: 'id', KeyType: 'HASH' }];
      table.Properties.TableName = 'co-sell';
    });
    expect(problems).toEqual([
      expect.stringMatching(/would change TableName from nothing to "co-sell": .* a new table/),
      expect.stringMatching(/would change KeySchema from .*"pk".* to .*"id".*: .* a new table/),
    ]);
  });

  it('stops a new logical id for the table (a construct renamed or moved)', () => {
    const problems = changed((resources) => {
      const stack = resources[data.stackName]!;
      stack.ReferralsTable = tableOf(resources);
      delete stack.TableCD117FA1;
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^CoSell-prod-Data's table TableCD117FA1 is now ReferralsTable: .* new, empty table/,
      ),
    ]);
  });

  it('stops a bucket that goes, or gets another name', () => {
    const [[consoleBucket]] = byType(
      apiTemplate.toJSON().Resources as Record<string, Resource>,
      'AWS::S3::Bucket',
    ) as [[string, Resource]];
    expect(
      changed((resources) => {
        delete resources[api.stackName]![consoleBucket];
      }),
    ).toEqual([
      expect.stringMatching(/ConsoleBucket\w+ is no longer in the template: .* delete it with its data/),
    ]);
    expect(
      changed((resources) => {
        byType(resources[data.stackName]!, 'AWS::S3::Bucket')[0]![1].Properties.BucketName = 'co-sell-files';
      }),
    ).toEqual([expect.stringMatching(/bucket Attachments\w+ would change BucketName .* to "co-sell-files"/)]);
  });

  it("stops a change to how users sign in to the user pool (Cognito keeps it for the pool's life)", () => {
    const problems = changed((resources) => {
      byType(resources[users!.stackName]!, 'AWS::Cognito::UserPool')[0]![1].Properties.UsernameAttributes = [
        'phone_number',
      ];
    });
    expect(problems).toEqual([
      expect.stringMatching(/user pool UserPool\w+ would change UsernameAttributes/),
    ]);
  });

  it('stops a pool left in the stack a declared move takes it from', () => {
    expect(STACK_MOVES.map((move) => move.type)).toEqual(['AWS::Cognito::UserPool']);
    const problems = changed((resources) => {
      const [[id, pool]] = byType(resources[users!.stackName]!, 'AWS::Cognito::UserPool') as [
        [string, Resource],
      ];
      delete resources[users!.stackName]![id];
      resources[api.stackName]![id] = pool;
    });
    expect(problems).toEqual([
      expect.stringMatching(/^CoSell-prod-Users's user pool UserPool6BA7E5F2 moves to CoSell-prod-Api as/),
    ]);
  });

  it('adds the webhook secrets key as new, and once released stops it being replaced or dropped', () => {
    const dataOnly = (edit: (resources: Record<string, Resource>) => void = () => {}) => {
      const template = structuredClone(dataTemplate.toJSON()) as { Resources: Record<string, Resource> };
      edit(template.Resources);
      return statefulResources({ [data.stackName]: template as TemplateJson });
    };
    const key = dataOnly().find((resource) => resource.type === 'AWS::KMS::Key');
    expect(key).toBeDefined();
    // New in this release: the last release's snapshot has no key, and adding one is no problem.
    expect(changed(() => {})).toEqual([]);
    // What it sealed opens with no other key.
    expect(
      upgradeProblems(
        [key!],
        dataOnly((resources) => {
          byType(resources, 'AWS::KMS::Key')[0]![1].Properties.KeySpec = 'RSA_2048';
        }),
      ),
    ).toEqual([
      expect.stringMatching(/key WebhookSecretsKey\w+ would change KeySpec .* creating a new\s+key/),
    ]);
    expect(
      upgradeProblems(
        [key!],
        dataOnly((resources) => {
          delete resources[byType(resources, 'AWS::KMS::Key')[0]![0]];
        }),
      ),
    ).toEqual([expect.stringMatching(/key WebhookSecretsKey\w+ is no longer in the template/)]);
  });

  it('stops the stream being turned off (its unread records would be lost)', () => {
    const problems = changed((resources) => {
      delete tableOf(resources).Properties.StreamSpecification;
    });
    expect(problems).toEqual([
      expect.stringMatching(/stream would change from .*NEW_AND_OLD_IMAGES.* to nothing/),
    ]);
  });
});

/**
 * Release 1's table, as deployed (functions/adapters/dynamo/table.ts before gsi5 and gsi6 came
 * with the connectors' deal lists): the start of the upgrade path an operator takes with
 * `upgradeStep`.
 */
const RELEASE_1_TABLE: StatefulResource = {
  stack: 'CoSell-prod-Data',
  logicalId: 'TableCD117FA1',
  type: 'AWS::DynamoDB::Table',
  properties: {
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map((name) => ({
      IndexName: name,
      KeySchema: [
        { AttributeName: `${name}pk`, KeyType: 'HASH' },
        { AttributeName: `${name}sk`, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
    StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
    TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
  },
};

describe('the upgrade from release 1 (gsi1 to gsi4), one GSI change per deploy', () => {
  const tableAt = (upgradeStep?: string): StatefulResource =>
    synthesizedStatefulResources({
      ...STAGE_CONTEXTS.prod,
      ...(upgradeStep ? { upgradeStep } : {}),
    }).find((resource) => resource.type === 'AWS::DynamoDB::Table')!;
  const steps = [RELEASE_1_TABLE, tableAt('gsi5'), tableAt()];

  it('cannot go in one deploy: CloudFormation would refuse two GSI changes', () => {
    expect(upgradeProblems([RELEASE_1_TABLE], [tableAt()])).toEqual([
      expect.stringContaining('would add 2 GSI(s) (gsi5, gsi6) and remove 0 (none) in one update'),
    ]);
  });

  it('keeps release 1 as it is up to gsi4 (gsi3 included)', () => {
    expect(gsiChanges(RELEASE_1_TABLE.properties, tableAt('gsi4').properties)).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('changes exactly one GSI per step: -c upgradeStep=gsi5, then without upgradeStep', () => {
    expect(gsiChanges(steps[0]!.properties, steps[1]!.properties)).toEqual({
      added: ['gsi5'],
      removed: [],
      changed: [],
    });
    expect(gsiChanges(steps[1]!.properties, steps[2]!.properties)).toEqual({
      added: ['gsi6'],
      removed: [],
      changed: [],
    });
    for (let i = 1; i < steps.length; i++) {
      expect(upgradeProblems([steps[i - 1]!], [steps[i]!])).toEqual([]);
    }
  });

  it('makes the last step the same table whether upgradeStep names it or not', () => {
    expect(tableAt('gsi6')).toEqual(tableAt());
  });

  it('warns that only the Data stack may be deployed with a step (the functions query every index)', () => {
    const { data } = synthesize({ ...STAGE_CONTEXTS.prod, upgradeStep: 'gsi5' });
    Annotations.fromStack(data).hasWarning(
      '*',
      Match.stringLikeRegexp('without gsi6. Deploy only CoSell-prod-Data with it'),
    );
  });

  it('refuses a step that names no index of the table', () => {
    expect(() => synthesize({ ...STAGE_CONTEXTS.prod, upgradeStep: 'gsi9' })).toThrow(
      /"upgradeStep" must name one of the table's indexes \(gsi1, gsi2, gsi3, gsi4, gsi5, gsi6\), got "gsi9"/,
    );
  });
});
