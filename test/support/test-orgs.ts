/**
 * A test file's own partner orgs: the demo partners' shape (members, roles, locations, solutions,
 * capabilities) under names, subs and email addresses no other file uses, so files sharing one
 * runtime never see each other's deals, invitations, emails or reports. The host is the seeded
 * one: an installation has exactly one.
 */
import { randomBytes } from 'node:crypto';
import { DEMO, DEMO_PARTNERS, type DemoOrg, type DemoUser } from '#infra/local/demo-data.ts';

export type PartnerOrg = {
  name: string;
  admin: DemoUser;
  referrals: DemoUser;
  seller: DemoUser;
};

/** The same keys as `DEMO`: `orgs.fabrikam.admin.sub`, `orgs.host.seller.sub`, ... */
export type TestOrgs = {
  host: typeof DEMO.host;
  fabrikam: PartnerOrg;
  northwind: PartnerOrg;
  adatum: PartnerOrg;
};

/** A short tag that names one test file's orgs, e.g. `k3x9q`. */
export const newOrgTag = (): string => randomBytes(4).readUInt32BE(0).toString(36).slice(0, 6);

/** The demo partner `org` made this file's: `Fabrikam k3x9q`, `fabrikam-admin-k3x9q`, `admin@fabrikam-k3x9q.example`. */
export const taggedOrg = (org: DemoOrg, tag: string): DemoOrg => {
  const user = (demo: DemoUser): DemoUser => ({
    ...demo,
    sub: `${demo.sub}-${tag}`,
    email: demo.email.replace(/@([^.]+)\./, `@$1-${tag}.`),
  });
  return { ...org, name: `${org.name} ${tag}`, admin: user(org.admin), members: org.members.map(user) };
};

export const taggedPartners = (tag: string): DemoOrg[] => DEMO_PARTNERS.map((org) => taggedOrg(org, tag));

export const testOrgs = (partners: readonly DemoOrg[]): TestOrgs => {
  const byKey = Object.fromEntries(
    partners.map((org) => [
      org.key,
      { name: org.name, admin: org.admin, referrals: org.members[0]!, seller: org.members[1]! },
    ]),
  ) as Record<'fabrikam' | 'northwind' | 'adatum', PartnerOrg>;
  return { host: DEMO.host, ...byKey };
};
