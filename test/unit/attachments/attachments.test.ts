/**
 * Attachment rules and use cases on in-memory ports: what is refused before any URL, who sees which
 * file (the uploading org; the host through its own deal for a submitted registration; nobody else),
 * and the malware-scan hook (downloads refused until clean).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { ATTACHMENT_TYPES } from '#domain/attachments/model.ts';
import { checkUpload, DOWNLOAD_URL_SECONDS, UPLOAD_URL_SECONDS } from '#domain/attachments/rules.ts';
import { downloadAttachment, listAttachments, requestUpload } from '#domain/attachments/use-cases.ts';
import type { Deal } from '#domain/deals/model.ts';
import { acceptInvitation } from '#domain/deals/use-cases/answer-invitation.ts';
import { closeDeal } from '#domain/deals/use-cases/close-deal.ts';
import { inviteToDeal } from '#domain/deals/use-cases/invite.ts';
import { getVisibleDeal, listDeals } from '#domain/deals/use-cases/read-deals.ts';
import { registerDeal, reviewRegistration } from '#domain/deals/use-cases/registration.ts';
import { LIMITS } from '#domain/kernel/limits.ts';
import { type DealWorld, dealWorld } from '#test/support/deal-world.ts';

let w: DealWorld;
beforeEach(async () => {
  w = await dealWorld();
});

/** A won co-sell deal of the partner, eligible for registration, and the host's deal of it. */
const wonCoSellDeal = async () => {
  const deal = await w.create(w.partner, {
    customer: {
      id: w.customer.id,
      contact: { name: 'Cy', phone: '+49 1', email: 'cy@t.example' },
      consentToShareWithHost: true,
    },
  });
  await inviteToDeal(w.deps, w.partner, { dealId: deal.id, host: { helpType: 'general' } });
  const hostDeal = (await listDeals(w.deps, w.host, { tab: 'inbound' }, { limit: 10 })).items[0]
    ?.deal as Deal;
  await acceptInvitation(w.deps, w.host, { dealId: hostDeal.id });
  await closeDeal(w.deps, w.partner, { dealId: deal.id, outcome: 'won' });
  return { deal, hostDeal };
};

const upload = async (dealId: string, fileName = 'contract.pdf') => {
  const issued = await requestUpload(w.deps, w.partner, {
    dealId,
    fileName,
    contentType: 'application/pdf',
    size: 1234,
  });
  return issued.attachment;
};

describe('what may be attached', () => {
  it('takes the seven types up to 10 MiB, and refuses anything else with a business-rule error', () => {
    for (const contentType of Object.keys(ATTACHMENT_TYPES)) {
      expect(checkUpload({ fileName: 'f', contentType, size: LIMITS.attachmentBytes })).toBe(contentType);
    }
    expect(() => checkUpload({ fileName: 'f.zip', contentType: 'application/zip', size: 1 })).toThrow(
      expect.objectContaining({ kind: 'business-rule', code: 'unsupported-file-type' }),
    );
    expect(() =>
      checkUpload({ fileName: 'f.pdf', contentType: 'application/pdf', size: LIMITS.attachmentBytes + 1 }),
    ).toThrow(expect.objectContaining({ kind: 'business-rule', code: 'file-too-large' }));
  });

  it.each([
    ['a slash', 'contracts/offer.pdf'],
    ['a backslash', '..\\offer.pdf'],
    ['U+202E right-to-left override', 'invoice\u202Efdp.exe'],
    ['U+202A left-to-right embedding', '\u202Aoffer.pdf'],
    ['U+202B right-to-left embedding', '\u202Boffer.pdf'],
    ['U+202C pop directional formatting', 'offer\u202C.pdf'],
    ['U+202D left-to-right override', 'offer\u202D.pdf'],
    ['U+2066 left-to-right isolate', 'offer\u2066.pdf'],
    ['U+2067 right-to-left isolate', 'offer\u2067.pdf'],
    ['U+2068 first strong isolate', 'offer\u2068.pdf'],
    ['U+2069 pop directional isolate', 'offer\u2069.pdf'],
    ['U+200E left-to-right mark', 'offer\u200E.pdf'],
    ['U+200F right-to-left mark', 'offer\u200F.pdf'],
    ['U+061C Arabic letter mark', 'offer\u061C.pdf'],
  ])('refuses a file name with %s (422 unsafe-file-name)', (_what, fileName) => {
    expect(() => checkUpload({ fileName, contentType: 'application/pdf', size: 1 })).toThrow(
      expect.objectContaining({ kind: 'business-rule', code: 'unsafe-file-name' }),
    );
  });

  it('takes names in any script, with dots, quotes and brackets', () => {
    for (const fileName of ['Vertrag März (final).pdf', 'عقد.pdf', '見積書.pdf', "it's *v2*.pdf", '..pdf']) {
      expect(checkUpload({ fileName, contentType: 'application/pdf', size: 1 })).toBe('application/pdf');
    }
  });

  it('stores nothing for a file name it refuses', async () => {
    const { deal } = await wonCoSellDeal();
    await expect(upload(deal.id, 'invoice\u202Efdp.pdf')).rejects.toMatchObject({ code: 'unsafe-file-name' });
    expect(w.deps.attachments.attachments.size).toBe(0);
  });

  it('issues no URL and stores nothing for a refused file', async () => {
    const { deal } = await wonCoSellDeal();
    await expect(
      requestUpload(w.deps, w.partner, { dealId: deal.id, fileName: 'a.exe', contentType: 'x/y', size: 1 }),
    ).rejects.toMatchObject({ code: 'unsupported-file-type' });
    expect(w.deps.attachments.attachments.size).toBe(0);
  });

  it('signs the declared type and size into a 15-minute upload URL', async () => {
    const { deal } = await wonCoSellDeal();
    const issued = await requestUpload(w.deps, w.partner, {
      dealId: deal.id,
      fileName: 'po.csv',
      contentType: 'text/csv',
      size: 99,
    });
    expect(issued.uploadUrl).toContain(`type=text/csv&size=99&ttl=${UPLOAD_URL_SECONDS}`);
    expect(Date.parse(issued.expiresAt) - w.deps.clock.now().getTime()).toBe(15 * 60_000);
    expect(issued.attachment).toMatchObject({ orgId: w.partner.orgId, uploaded: false, scan: 'pending' });
  });

  it('only onto a deal of the caller (another org: 404)', async () => {
    const { deal } = await wonCoSellDeal();
    await expect(
      requestUpload(w.deps, w.other, {
        dealId: deal.id,
        fileName: 'x.pdf',
        contentType: 'application/pdf',
        size: 1,
      }),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });

  it(`holds at most ${LIMITS.attachmentsPerDeal} attachments per deal`, async () => {
    const { deal } = await wonCoSellDeal();
    for (let i = 0; i < LIMITS.attachmentsPerDeal; i++) await upload(deal.id, `f${i}.pdf`);
    await expect(upload(deal.id)).rejects.toMatchObject({ code: 'too-many-attachments' });
  });

  it('holds the limit when 60 uploads are asked for at once: the count is a condition of the write', async () => {
    const { deal } = await wonCoSellDeal();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) => upload(deal.id, `f${i}.pdf`)),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(
      LIMITS.attachmentsPerDeal,
    );
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(refused).toHaveLength(60 - LIMITS.attachmentsPerDeal);
    for (const reason of refused) {
      expect(reason).toMatchObject({
        code: 'too-many-attachments',
        message: `A deal holds at most ${LIMITS.attachmentsPerDeal} attachments.`,
      });
    }
    expect(await w.deps.attachments.listByDeal(deal.id)).toHaveLength(LIMITS.attachmentsPerDeal);
  });
});

describe('registering with attachments', () => {
  it('refuses ids that are not uploaded files of this deal', async () => {
    const { deal } = await wonCoSellDeal();
    const notUploaded = await upload(deal.id);
    const register = (attachments: string[]) =>
      registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, attachments });
    await expect(register([notUploaded.id])).rejects.toMatchObject({ code: 'unknown-attachment' });
    await expect(register(['nope'])).rejects.toMatchObject({ code: 'unknown-attachment' });
    const otherDeal = await w.create(w.partner, {});
    const elsewhere = await upload(otherDeal.id);
    w.deps.files.put(elsewhere);
    await expect(register([elsewhere.id])).rejects.toMatchObject({ code: 'unknown-attachment' });
    w.deps.files.put(notUploaded);
    await expect(register([notUploaded.id, notUploaded.id])).rejects.toMatchObject({
      code: 'duplicate-attachment',
    });
    const registered = await register([notUploaded.id]);
    expect(registered.deal.registration?.attachments).toEqual([
      {
        id: notUploaded.id,
        fileName: 'contract.pdf',
        copy: { id: expect.any(String), fingerprint: 'bytes' },
      },
    ]);
  });

  it('freezes a submitted file: the host reads the submitted bytes whatever is uploaded later', async () => {
    const { deal, hostDeal } = await wonCoSellDeal();
    const file = await upload(deal.id);
    w.deps.files.put(file, 'signed contract');
    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, attachments: [file.id] });
    // The upload URL stays valid 15 minutes: a second upload replaces the upload's own object.
    w.deps.files.put(file, 'forged contract');

    const link = await downloadAttachment(w.deps, w.host, { dealId: hostDeal.id, attachmentId: file.id });
    const served = new URL(link.downloadUrl).pathname.replace(/^\/download\//, '').split('/');
    expect(served.slice(-2)[0]).toBe('submitted');
    const copyKey = `${file.orgId}/${file.dealId}/${file.id}/submitted/${served.at(-1)}`;
    expect(w.deps.files.objects.get(copyKey)?.bytes).toBe('signed contract');
    // The uploader's own view is its upload as it is now.
    const own = await downloadAttachment(w.deps, w.partner, { dealId: deal.id, attachmentId: file.id });
    expect(own.downloadUrl).not.toContain('/submitted/');
  });

  it('scans the copy on its own, and never hands out a copy whose bytes changed', async () => {
    const { deal, hostDeal } = await wonCoSellDeal();
    const file = await upload(deal.id);
    w.deps.files.put(file, 'signed contract');
    const registered = await registerDeal(w.deps, w.partner, {
      dealId: deal.id,
      contractSigned: true,
      attachments: [file.id],
    });
    const copy = { ...file, copy: registered.deal.registration?.attachments?.[0]?.copy?.id };
    const download = () => downloadAttachment(w.deps, w.host, { dealId: hostDeal.id, attachmentId: file.id });

    w.deps.files.scanning = true;
    await expect(download()).rejects.toMatchObject({ code: 'file-not-ready', retryAfterSeconds: 30 });
    w.deps.files.scan(copy, 'clean');
    await expect(download()).resolves.toMatchObject({ downloadUrl: expect.stringContaining('/submitted/') });

    w.deps.files.put(copy, 'other bytes');
    w.deps.files.scan(copy, 'clean');
    await expect(download()).rejects.toMatchObject({ kind: 'conflict', code: 'file-changed' });
    expect(await listAttachments(w.deps, w.host, hostDeal.id)).toEqual([
      expect.objectContaining({ id: file.id, uploaded: false }),
    ]);
  });

  it('shows the host the submission and the partner deal as it is now; a re-submission replaces it', async () => {
    const { deal, hostDeal } = await wonCoSellDeal();
    const file = await upload(deal.id);
    w.deps.files.put(file);
    await registerDeal(w.deps, w.partner, {
      dealId: deal.id,
      contractSigned: true,
      contractValue: { amount: 5, currency: 'EUR' },
      contractDate: '2026-10-01',
      purchaseOrder: 'PO-1',
      notes: 'first',
      attachments: [file.id],
    });
    const first = (await getVisibleDeal(w.deps, w.host, hostDeal.id)).registrations;
    expect(first).toEqual([
      {
        orgId: w.partner.orgId,
        orgName: expect.any(String),
        registration: expect.objectContaining({
          status: 'submitted',
          contractValue: { amount: 5, currency: 'EUR' },
          contractDate: '2026-10-01',
          purchaseOrder: 'PO-1',
          notes: 'first',
          attachments: [{ id: file.id, fileName: 'contract.pdf' }],
        }),
        deal: { value: deal.value, closeDate: deal.closeDate, solutions: deal.solutions },
      },
    ]);
    await reviewRegistration(w.deps, w.host, {
      dealId: hostDeal.id,
      orgId: w.partner.orgId,
      decision: 'action-required',
      message: 'Add the PO',
    });
    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, purchaseOrder: 'PO-2' });
    const [second] = (await getVisibleDeal(w.deps, w.host, hostDeal.id)).registrations;
    expect(second?.registration).toMatchObject({ purchaseOrder: 'PO-2', messages: [{ text: 'Add the PO' }] });
    expect(second?.registration).not.toHaveProperty('attachments');
    expect(second?.registration).not.toHaveProperty('notes');
    // The dropped file is no longer the host's to see.
    expect(await listAttachments(w.deps, w.host, hostDeal.id)).toEqual([]);
  });
});

describe('who sees a file', () => {
  it('the uploader and, once submitted, the host through its own deal; nobody else', async () => {
    const { deal, hostDeal } = await wonCoSellDeal();
    const file = await upload(deal.id);
    w.deps.files.put(file);
    expect(await listAttachments(w.deps, w.host, hostDeal.id)).toEqual([]);
    await expect(
      downloadAttachment(w.deps, w.host, { dealId: hostDeal.id, attachmentId: file.id }),
    ).rejects.toMatchObject({ kind: 'not-found' });

    await registerDeal(w.deps, w.partner, { dealId: deal.id, contractSigned: true, attachments: [file.id] });
    expect((await listAttachments(w.deps, w.host, hostDeal.id)).map((a) => a.id)).toEqual([file.id]);
    const link = await downloadAttachment(w.deps, w.host, { dealId: hostDeal.id, attachmentId: file.id });
    expect(link.downloadUrl).toContain(`name=contract.pdf&ttl=${DOWNLOAD_URL_SECONDS}`);

    // The host through the partner's deal id, and any other org: 404.
    await expect(
      downloadAttachment(w.deps, w.host, { dealId: deal.id, attachmentId: file.id }),
    ).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listAttachments(w.deps, w.other, deal.id)).rejects.toMatchObject({ kind: 'not-found' });
    await expect(listAttachments(w.deps, w.other, hostDeal.id)).rejects.toMatchObject({ kind: 'not-found' });
  });
});

describe('the malware-scan hook', () => {
  it('refuses downloads (409) until the scanner says clean, and never for an infected file', async () => {
    const { deal } = await wonCoSellDeal();
    w.deps.files.scanning = true;
    const file = await upload(deal.id);
    const download = () => downloadAttachment(w.deps, w.partner, { dealId: deal.id, attachmentId: file.id });
    await expect(download()).rejects.toMatchObject({ kind: 'conflict', code: 'file-not-ready' });
    w.deps.files.put(file);
    await expect(download()).rejects.toMatchObject({ code: 'file-not-ready', retryAfterSeconds: 30 });
    expect((await listAttachments(w.deps, w.partner, deal.id))[0]).toMatchObject({
      uploaded: true,
      scan: 'pending',
    });
    w.deps.files.scan(file, 'infected');
    await expect(download()).rejects.toMatchObject({ code: 'file-not-ready', retryAfterSeconds: undefined });
    w.deps.files.scan(file, 'clean');
    // A recorded verdict other than pending is final: the record said infected.
    await expect(download()).rejects.toMatchObject({ code: 'file-not-ready' });
  });

  it('hands out a file the scanner found clean and records the verdict', async () => {
    const { deal } = await wonCoSellDeal();
    w.deps.files.scanning = true;
    const file = await upload(deal.id);
    w.deps.files.scan(file, 'clean');
    await expect(
      downloadAttachment(w.deps, w.partner, { dealId: deal.id, attachmentId: file.id }),
    ).resolves.toMatchObject({ downloadUrl: expect.any(String) });
    expect(await w.deps.attachments.get(deal.id, file.id)).toMatchObject({ uploaded: true, scan: 'clean' });
  });
});
