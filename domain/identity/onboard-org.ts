/**
 * onboardOrg — the operator's use case (the local `POST /dev/orgs` route, the seed, and in the cloud
 * an operator script); there is no signed-in actor.
 *
 * Input: the org's name, kind, optional capabilities and its first admin's identity.
 * Output: the new Organization.
 * Rules: exactly one host org per installation (a second one is ConflictError('already-exists'),
 * enforced by the store in the same transaction as the org); the admin's sub must not belong to
 * another org (ConflictError('already-exists')); only partner orgs may hold capabilities; the admin
 * becomes the org's only `org-admin`, active at once: the operator vouches for the person behind
 * the sub (an org without an active admin could invite nobody). Everyone else joins by invitation.
 */

import type { Deps } from '../deps.ts';
import { type Capability, ORG_KINDS, type OrgKind } from '../kernel/actor.ts';
import { ConflictError } from '../kernel/errors.ts';
import { LIMITS } from '../kernel/limits.ts';
import {
  checkCapabilities,
  checkPerson,
  FieldErrors,
  isText,
  normalizeEmail,
  unique,
} from '../kernel/validation.ts';
import { subBinding } from './members.ts';
import type { Membership, Organization } from './model.ts';

export type OnboardOrgInput = {
  name: string;
  kind: OrgKind;
  capabilities?: Capability[];
  admin: { sub: string; email: string; name: string };
};

export const onboardOrg = async (
  deps: Pick<Deps, 'clock' | 'ids' | 'orgs'>,
  input: OnboardOrgInput,
): Promise<Organization> => {
  const capabilities = unique(input.capabilities ?? []);
  const errors = new FieldErrors();
  errors.check(isText(input.name, LIMITS.name), 'name', 'Give a name of 1-200 characters.');
  errors.check(ORG_KINDS.includes(input.kind), 'kind', `Use one of ${ORG_KINDS.join(', ')}.`);
  checkCapabilities(errors, capabilities);
  if (input.kind === 'host' && capabilities.length > 0) {
    errors.add('capabilities', 'Only partner orgs hold capabilities.');
  }
  checkPerson(errors, 'admin.', input.admin);
  errors.throwIfAny();

  const now = deps.clock.now().toISOString();
  const org: Organization = {
    id: deps.ids.next(),
    name: input.name.trim(),
    kind: input.kind,
    capabilities,
    createdAt: now,
  };
  const admin: Membership = {
    email: normalizeEmail(input.admin.email),
    orgId: org.id,
    name: input.admin.name.trim(),
    roles: ['org-admin'],
    locations: [],
    status: 'active',
    sub: input.admin.sub,
    invitedAt: now,
    joinedAt: now,
    updatedAt: now,
    version: 1,
  };
  const binding = subBinding(admin, org);
  if (!binding) throw new Error('An org is created with its first admin active.');
  switch (await deps.orgs.create(org, admin, binding)) {
    case 'written':
      return org;
    case 'host-exists':
      throw new ConflictError('already-exists', 'This installation already has a host organization.');
    case 'sub-bound':
      throw new ConflictError(
        'already-exists',
        `User ${input.admin.sub} already belongs to an organization.`,
      );
    case 'exists':
      throw new ConflictError('already-exists', `Organization ${org.id} exists.`);
    case 'stale':
      throw new ConflictError('concurrent-update', 'A concurrent change interfered; retry.');
  }
};
