/**
 * The demo installation that `npm start` seeds: the one place that names its orgs, users,
 * customers and solutions, so the seed, docs/local.md, the start banner and the e2e tests agree.
 * Sign in as any user with `POST /dev/tokens { "sub": "<sub>" }`.
 */
import type { Capability, Role } from '#domain/kernel/actor.ts';

export type DemoUser = { sub: string; email: string; name: string; roles: Role[]; locations: string[] };
export type DemoOrg = {
  key: string;
  name: string;
  kind: 'host' | 'partner';
  capabilities: Capability[];
  /** The org's first org-admin (onboarded with the org). */
  admin: DemoUser;
  /** Invited by the admin after onboarding; each joins by signing in as its sub. */
  members: DemoUser[];
  solutions: {
    name: string;
    coSellReady: boolean;
    kind?: 'host' | 'assessment';
    incentiveEligible?: boolean;
  }[];
};

const admin = (sub: string, email: string, name: string): DemoUser => ({
  sub,
  email,
  name,
  roles: ['org-admin'],
  locations: [],
});

export const DEMO_HOST: DemoOrg = {
  key: 'host',
  name: 'Contoso Cloud',
  kind: 'host',
  capabilities: [],
  admin: admin('host-admin', 'host-admin@host.example', 'Hana Host'),
  members: [
    {
      sub: 'host-seller',
      email: 'host-seller@host.example',
      name: 'Sam Seller',
      roles: ['referrals-admin'],
      locations: [],
    },
  ],
  solutions: [
    { name: 'Contoso Data Platform', coSellReady: true, kind: 'host', incentiveEligible: true },
    { name: 'Contoso Identity', coSellReady: true, kind: 'host', incentiveEligible: false },
    { name: 'Cloud Migration Assessment', coSellReady: true, kind: 'assessment' },
  ],
};

const partner = (
  key: string,
  name: string,
  domain: string,
  locations: string[],
  solutions: DemoOrg['solutions'],
  capabilities: Capability[] = [],
): DemoOrg => ({
  key,
  name,
  kind: 'partner',
  capabilities,
  admin: admin(`${key}-admin`, `admin@${domain}`, `${name} Admin`),
  members: [
    {
      sub: `${key}-referrals`,
      email: `referrals@${domain}`,
      name: `${name} Referrals`,
      roles: ['referrals-admin'],
      locations: [],
    },
    {
      sub: `${key}-seller`,
      email: `seller@${domain}`,
      name: `${name} Seller`,
      roles: ['referral-user'],
      locations,
    },
  ],
  solutions,
});

export const DEMO_PARTNERS: readonly DemoOrg[] = [
  partner(
    'fabrikam',
    'Fabrikam',
    'fabrikam.example',
    ['DE', 'AT'],
    [
      { name: 'Fabrikam Analytics Suite', coSellReady: true },
      { name: 'Fabrikam Internal Toolkit', coSellReady: false },
    ],
  ),
  partner(
    'northwind',
    'Northwind Traders',
    'northwind.example',
    ['US'],
    [{ name: 'Northwind Migration Factory', coSellReady: true }],
    ['solution-assessment'],
  ),
  partner(
    'adatum',
    'Adatum',
    'adatum.example',
    ['FR', 'DE'],
    [{ name: 'Adatum Secure Workplace', coSellReady: true }],
  ),
];

export const DEMO_ORGS: readonly DemoOrg[] = [DEMO_HOST, ...DEMO_PARTNERS];

export const DEMO_CUSTOMERS = [
  { name: 'Alpine Ski House', country: 'DE', address: 'Leopoldstraße 1, 80802 München', duns: '314159265' },
  { name: 'Litware Bank', country: 'DE', address: 'Friedrichstraße 10, 10117 Berlin' },
  { name: 'Tailspin Toys', country: 'US', address: '1 Main St, Seattle, WA 98101', duns: '271828182' },
  { name: 'Wide World Importers', country: 'US', address: '500 Market St, San Francisco, CA 94105' },
  { name: 'Coho Winery', country: 'FR', address: '12 Rue de la Paix, 75002 Paris', duns: '161803398' },
  { name: 'Margie’s Travel', country: 'FR', address: '3 Place Bellecour, 69002 Lyon' },
] as const;

/** Every demo user with its org, for the start banner and the table in docs/local.md. */
export const demoUsers = (): { org: string; kind: 'host' | 'partner'; user: DemoUser }[] =>
  DEMO_ORGS.flatMap((org) =>
    [org.admin, ...org.members].map((user) => ({ org: org.name, kind: org.kind, user })),
  );

/** Shortcuts for tests: `DEMO.host.admin.sub`, `DEMO.fabrikam.seller.sub`, ... */
export const DEMO = {
  host: { name: DEMO_HOST.name, admin: DEMO_HOST.admin, seller: DEMO_HOST.members[0]! },
  ...Object.fromEntries(
    DEMO_PARTNERS.map((org) => [
      org.key,
      { name: org.name, admin: org.admin, referrals: org.members[0]!, seller: org.members[1]! },
    ]),
  ),
} as {
  host: { name: string; admin: DemoUser; seller: DemoUser };
  fabrikam: { name: string; admin: DemoUser; referrals: DemoUser; seller: DemoUser };
  northwind: { name: string; admin: DemoUser; referrals: DemoUser; seller: DemoUser };
  adatum: { name: string; admin: DemoUser; referrals: DemoUser; seller: DemoUser };
};
