import type { IdentityProvider } from '#domain/identity/ports.ts';

type MemoryUser = { name: string; enabled: boolean; signOuts: number };

/** The identity provider's users by normalized email, as a test inspects them. */
export class MemoryIdentityProvider implements IdentityProvider {
  readonly users = new Map<string, MemoryUser>();
  /** Every call in order, e.g. `disable alice@x.example`. */
  readonly calls: string[] = [];
  /** When set, the next call throws it (an unavailable provider). */
  failNext: Error | undefined;

  private record(call: string): void {
    this.calls.push(call);
    const failure = this.failNext;
    this.failNext = undefined;
    if (failure) throw failure;
  }

  async ensureUser(email: string, name: string): Promise<void> {
    this.record(`ensureUser ${email}`);
    const user = this.users.get(email);
    if (user) user.enabled = true;
    else this.users.set(email, { name, enabled: true, signOuts: 0 });
  }

  async signOutEverywhere(email: string): Promise<void> {
    this.record(`signOutEverywhere ${email}`);
    const user = this.users.get(email);
    if (user) user.signOuts += 1;
  }

  async disable(email: string): Promise<void> {
    this.record(`disable ${email}`);
    const user = this.users.get(email);
    if (user) user.enabled = false;
  }
}
