/**
 * Attachments (docs/api.md "Registration evidence and attachments"): an org uploads files to its own
 * deal through presigned URLs; the host sees the files of a submitted registration through its own
 * deal of the engagement; nobody else sees them (404, like a deal that does not exist).
 */

import type { Deal } from '../deals/model.ts';
import { registeredPartnerDeals } from '../deals/use-cases/present.ts';
import { findVisibleDeal } from '../deals/use-cases/read-deals.ts';
import type { Deps } from '../deps.ts';
import type { Actor } from '../kernel/actor.ts';
import { BusinessRuleError, ConflictError, NotFoundError } from '../kernel/errors.ts';
import { retryOnConflict } from '../kernel/retry.ts';
import type { Attachment, AttachmentRef, FrozenCopy } from './model.ts';
import {
  ATTACHMENT_QUOTA,
  checkDownloadable,
  checkUnchanged,
  checkUpload,
  DOWNLOAD_URL_SECONDS,
  UPLOAD_URL_SECONDS,
} from './rules.ts';

export type UploadRequest = {
  dealId: string;
  fileName: string;
  contentType: string;
  size: number;
  /** The file's SHA-256 (base64), which the upload URL then signs. */
  checksumSha256?: string;
};
export type IssuedUrl = { expiresAt: string };

const expiresAt = (deps: Deps, seconds: number): string =>
  new Date(deps.clock.now().getTime() + seconds * 1000).toISOString();

/** Who may attach a file: a member who may see the deal (else 404). */
export const authorizeUpload = async (deps: Deps, actor: Actor, ref: { dealId: string }) => {
  await findVisibleDeal(deps, actor, ref.dealId);
};

/** A new attachment of the caller's deal and the URL its bytes go to. */
export const requestUpload = async (
  deps: Deps,
  actor: Actor,
  command: UploadRequest,
): Promise<{ attachment: Attachment; uploadUrl: string } & IssuedUrl> => {
  const contentType = checkUpload(command);
  const { deal } = await findVisibleDeal(deps, actor, command.dealId);
  const attachment: Attachment = {
    id: deps.ids.next(),
    orgId: deal.orgId,
    dealId: deal.id,
    fileName: command.fileName,
    contentType,
    size: command.size,
    uploaded: false,
    scan: 'pending',
    createdBy: actor.sub,
    createdAt: deps.clock.now().toISOString(),
  };
  await retryOnConflict(deps.backoff, async () => {
    const outcome = await deps.attachments.create(attachment, ATTACHMENT_QUOTA);
    if (outcome === 'conflict') {
      throw new ConflictError('concurrent-update', "The deal's attachments changed meanwhile; try again.");
    }
    if (outcome === 'limit-reached') {
      throw new BusinessRuleError(
        'too-many-attachments',
        `A deal holds at most ${ATTACHMENT_QUOTA.limit} attachments.`,
      );
    }
  });
  const uploadUrl = await deps.files.uploadUrl(attachment, {
    contentType,
    size: attachment.size,
    ...(command.checksumSha256 ? { checksumSha256: command.checksumSha256 } : {}),
    expiresInSeconds: UPLOAD_URL_SECONDS,
  });
  return { attachment, uploadUrl, expiresAt: expiresAt(deps, UPLOAD_URL_SECONDS) };
};

/**
 * The attachment as the bucket knows it now. A file not yet seen (or not yet found clean) is
 * looked up (HeadObject, the scan's tag) and what was learnt is recorded, so settled files cost no
 * further look-up.
 */
export const refreshed = async (deps: Deps, attachment: Attachment, record = true): Promise<Attachment> => {
  if (attachment.uploaded && attachment.scan !== 'pending') return attachment;
  const state = await deps.files.inspect(attachment);
  if (!state.exists) return attachment;
  const next: Attachment = { ...attachment, uploaded: true, scan: state.scan };
  if (record) await deps.attachments.update(next);
  return next;
};

/**
 * A file the caller may see: the org's own upload, or a file a registration submitted to the host,
 * read from the copy made at submission (`copy`; absent on registrations from before copies).
 */
type VisibleFile = { attachment: Attachment; copy?: FrozenCopy };

/**
 * The attachments the caller may see through one of its deals: its own org's on it, and on the
 * host's deal those of every registration submitted to the host (current submissions only).
 */
const visibleAttachments = async (deps: Deps, deal: Deal): Promise<VisibleFile[]> => {
  const own = (await deps.attachments.listByDeal(deal.id)).map((attachment) => ({ attachment }));
  const submitted = await Promise.all(
    (await registeredPartnerDeals(deps, deal)).map(async ({ deal: partner }) => {
      const files = await Promise.all(
        (partner.registration?.attachments ?? []).map(async (ref) => {
          const attachment = await deps.attachments.get(partner.id, ref.id);
          return attachment?.orgId === partner.orgId
            ? [{ attachment, ...(ref.copy ? { copy: ref.copy } : {}) }]
            : [];
        }),
      );
      return files.flat();
    }),
  );
  return [...own, ...submitted.flat()];
};

/**
 * A submitted file as its frozen copy stands: its scan is the copy's own (a copy is a new object,
 * scanned anew), and bytes other than those submitted (another fingerprint) are never handed out.
 */
const copyState = async (
  deps: Deps,
  attachment: Attachment,
  copy: FrozenCopy,
): Promise<{ attachment: Attachment; changed: boolean }> => {
  const state = await deps.files.inspect({ ...attachment, copy: copy.id });
  if (!state.exists)
    return { attachment: { ...attachment, uploaded: false, scan: 'pending' }, changed: true };
  return {
    attachment: { ...attachment, uploaded: true, scan: state.scan },
    changed: state.fingerprint !== copy.fingerprint,
  };
};

/** A visible file as the bucket knows it now (its own object, or the copy a registration made). */
const current = async (
  deps: Deps,
  file: VisibleFile,
): Promise<{ attachment: Attachment; changed: boolean }> =>
  file.copy
    ? copyState(deps, file.attachment, file.copy)
    : { attachment: await refreshed(deps, file.attachment), changed: false };

export const listAttachments = async (deps: Deps, actor: Actor, dealId: string): Promise<Attachment[]> => {
  const { deal } = await findVisibleDeal(deps, actor, dealId);
  const files = await visibleAttachments(deps, deal);
  return Promise.all(
    files.map(async (file) => {
      const { attachment, changed } = await current(deps, file);
      return changed ? { ...attachment, uploaded: false } : attachment;
    }),
  );
};

/** A short-lived download URL of a clean, uploaded file the caller may see. */
export const downloadAttachment = async (
  deps: Deps,
  actor: Actor,
  command: { dealId: string; attachmentId: string },
): Promise<{ downloadUrl: string } & IssuedUrl> => {
  const { deal } = await findVisibleDeal(deps, actor, command.dealId);
  const found = (await visibleAttachments(deps, deal)).find(
    (file) => file.attachment.id === command.attachmentId,
  );
  if (!found) throw new NotFoundError('The attachment');
  const { attachment, changed } = await current(deps, found);
  checkUnchanged({ changed });
  checkDownloadable(attachment);
  const downloadUrl = await deps.files.downloadUrl(
    { ...attachment, ...(found.copy ? { copy: found.copy.id } : {}) },
    { fileName: attachment.fileName, expiresInSeconds: DOWNLOAD_URL_SECONDS },
  );
  return { downloadUrl, expiresAt: expiresAt(deps, DOWNLOAD_URL_SECONDS) };
};

/**
 * The uploaded attachments of the caller's deal a registration names, in the order named, each
 * frozen: copied where no upload URL reaches, so the host reads the bytes submitted now whatever is
 * later sent to the upload URL (which stays valid 15 minutes). An id that is not the org's upload on
 * this deal, or whose bytes never arrived, is refused (422). A copy is made per submission attempt:
 * one whose registration is not written is never read.
 */
export const submittedAttachments = async (
  deps: Deps,
  deal: Deal,
  ids: readonly string[],
): Promise<AttachmentRef[]> => {
  if (new Set(ids).size !== ids.length) {
    throw new BusinessRuleError('duplicate-attachment', 'Name each attachment once.');
  }
  return Promise.all(
    ids.map(async (id) => {
      const stored = await deps.attachments.get(deal.id, id);
      const attachment = stored?.orgId === deal.orgId ? await refreshed(deps, stored, false) : undefined;
      if (!attachment?.uploaded) {
        throw new BusinessRuleError(
          'unknown-attachment',
          `Attachment ${id} is not an uploaded file of this deal: upload it to the deal first.`,
        );
      }
      const copy = await deps.files.freeze(attachment, deps.ids.next());
      return { id: attachment.id, fileName: attachment.fileName, copy };
    }),
  );
};
