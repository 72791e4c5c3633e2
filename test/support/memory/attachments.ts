import type { Attachment, FrozenCopy, ScanStatus } from '#domain/attachments/model.ts';
import type { AttachmentStore, FileRef, FileState, FileStore } from '#domain/attachments/ports.ts';
import type { Quota } from '#domain/kernel/limits.ts';

/** AttachmentStore in memory, by deal and id, in creation order; a deal holds at most its quota. */
export class MemoryAttachmentStore implements AttachmentStore {
  readonly attachments = new Map<string, Attachment>();

  async create(attachment: Attachment, quota: Quota) {
    const key = `${attachment.dealId}/${attachment.id}`;
    if (this.attachments.has(key)) throw new Error(`attachment ${key} exists`);
    // Checked and written in one synchronous step, as the adapter's transaction does.
    const held = [...this.attachments.values()].filter((stored) => stored.dealId === attachment.dealId);
    if (held.length >= quota.limit) return 'limit-reached' as const;
    this.attachments.set(key, structuredClone(attachment));
    return 'written' as const;
  }

  async get(dealId: string, attachmentId: string) {
    const attachment = this.attachments.get(`${dealId}/${attachmentId}`);
    return attachment ? structuredClone(attachment) : undefined;
  }

  async listByDeal(dealId: string) {
    return [...this.attachments.values()].filter((a) => a.dealId === dealId).map((a) => structuredClone(a));
  }

  async update(attachment: Attachment) {
    this.attachments.set(`${attachment.dealId}/${attachment.id}`, structuredClone(attachment));
  }
}

/**
 * A bucket in memory: `put` stands for a client's upload through the URL (`bytes` tell one upload
 * from another), `scan` for the scanner's verdict (unset: the file counts as `pending` until scanned
 * when `scanning` is on, clean otherwise).
 */
export class MemoryFileStore implements FileStore {
  readonly objects = new Map<string, { scan?: ScanStatus; bytes: string }>();
  scanning = false;

  key(file: FileRef): string {
    return `${file.orgId}/${file.dealId}/${file.id}${file.copy ? `/submitted/${file.copy}` : ''}`;
  }

  put(file: FileRef, bytes = 'bytes'): void {
    this.objects.set(this.key(file), { bytes });
  }

  scan(file: FileRef, verdict: ScanStatus): void {
    const object = this.objects.get(this.key(file));
    this.objects.set(this.key(file), { bytes: object?.bytes ?? 'bytes', scan: verdict });
  }

  async freeze(file: FileRef, copyId: string): Promise<FrozenCopy> {
    const object = this.objects.get(this.key({ ...file, copy: undefined }));
    if (!object) throw new Error(`no object ${this.key(file)} to copy`);
    this.objects.set(this.key({ ...file, copy: copyId }), { bytes: object.bytes });
    return { id: copyId, fingerprint: object.bytes };
  }

  async uploadUrl(
    file: FileRef,
    upload: { contentType: string; size: number; checksumSha256?: string; expiresInSeconds: number },
  ) {
    const checksum = upload.checksumSha256 ? `&sha256=${encodeURIComponent(upload.checksumSha256)}` : '';
    return `memory://upload/${this.key(file)}?type=${upload.contentType}&size=${upload.size}${checksum}&ttl=${upload.expiresInSeconds}`;
  }

  async downloadUrl(file: FileRef, download: { fileName: string; expiresInSeconds: number }) {
    return `memory://download/${this.key(file)}?name=${download.fileName}&ttl=${download.expiresInSeconds}`;
  }

  async inspect(file: FileRef): Promise<FileState> {
    const object = this.objects.get(this.key(file));
    if (!object) return { exists: false };
    return {
      exists: true,
      scan: object.scan ?? (this.scanning ? 'pending' : 'clean'),
      fingerprint: object.bytes,
    };
  }
}
