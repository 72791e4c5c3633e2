/**
 * Orders the run's test files so that the longest start first and the short ones fill the end (the
 * run takes as long as its busiest worker). Vitest's own order sorts by project name first, which
 * started the e2e tier (one file of ~3 minutes) only after the browser tier and left the
 * integration tier's many files to run last on their own. Within a tier, vitest's order stands:
 * failed first, then the slowest of the last run, or the largest file on a fresh clone.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Tiers by the length of their longest file: the e2e tier is one long file, the unit files are short. */
const TIER_ORDER = ['e2e', 'browser', 'artifacts', 'integration', 'infra', 'unit'];

const rank = (spec: TestSpecification): number => {
  const index = TIER_ORDER.indexOf(spec.project.name);
  return index === -1 ? TIER_ORDER.length : index;
};

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}
