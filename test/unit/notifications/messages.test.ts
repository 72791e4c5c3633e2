import { describe, expect, it } from 'vitest';
import {
  declinedMessage,
  escapeHtml,
  formatDate,
  type InviteeView,
  invitationMessage,
  renderEmail,
} from '#domain/notifications/messages.ts';

const invitee: InviteeView = {
  dealId: '01DEAL',
  dealName: 'Tailspin <script>alert(1)</script> & "co"',
  customerName: "O'Brien & Sons",
  location: 'DE',
  fromOrgName: 'Fabrikam',
  kind: 'partner',
  helpType: 'executive-sponsor',
  expiresAt: '2026-12-09T10:00:00.000Z',
};

describe('rendering', () => {
  it('escapes every value in the HTML part and keeps the text part verbatim', () => {
    const email = renderEmail('a@x.example', invitationMessage(invitee, false), 'https://app.example/');
    expect(email.html).not.toContain('<script>');
    expect(email.html).toContain('Tailspin &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;');
    expect(email.html).toContain('O&#39;Brien &amp; Sons');
    expect(email.text).toContain(`Customer: O'Brien & Sons`);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('links to the recipient org deal under the configured base URL, in both parts', () => {
    const email = renderEmail('a@x.example', invitationMessage(invitee, false), 'https://app.example/');
    expect(email.text).toContain('https://app.example/deals/01DEAL');
    // An invitation opens with its Accept dialog up; every other email opens the deal.
    expect(email.html).toContain('href="https://app.example/deals/01DEAL?action=accept"');
    const declined = declinedMessage({
      dealId: '01MINE',
      dealName: 'Tailspin',
      customerName: 'Tailspin',
      inviteeOrgName: 'Adatum',
      reason: 'no-capacity',
    });
    const accepted = renderEmail('a@x.example', declined, 'https://app.example/');
    expect(accepted.html).toContain('href="https://app.example/deals/01MINE"');
  });

  it('keeps subjects on one line', () => {
    const email = renderEmail(
      'a@x.example',
      invitationMessage({ ...invitee, dealName: 'Line one\r\nBcc: evil@x.example' }, false),
      'https://app.example',
    );
    expect(email.subject).toBe('Fabrikam invited you to co-sell: Line one Bcc: evil@x.example');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });
});

describe('wording', () => {
  it('names the inviter, the help requested and the answer date on an invitation', () => {
    const email = renderEmail('a@x.example', invitationMessage(invitee, false), 'https://app.example');
    expect(email.text).toContain('Help requested: Executive sponsor');
    expect(email.text).toContain(`Answer by: ${formatDate(invitee.expiresAt)}`);
    expect(formatDate(invitee.expiresAt)).toBe('9 Dec 2026');
  });

  it('says a reminder is a reminder and when it expires', () => {
    const { subject } = invitationMessage(invitee, true);
    expect(subject).toMatch(/^Reminder: the invitation from Fabrikam expires on 9 Dec 2026/);
  });

  it('gives the decline reason as words, and "Not given" for an unknown one', () => {
    const view = { dealId: 'd', dealName: 'D', customerName: 'C', inviteeOrgName: 'Adatum' };
    expect(declinedMessage({ ...view, reason: 'no-capacity' }).facts).toContainEqual([
      'Reason',
      'No capacity',
    ]);
    expect(declinedMessage({ ...view, reason: 'bogus' }).facts).toContainEqual(['Reason', 'Not given']);
  });
});
