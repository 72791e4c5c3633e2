/**
 * The EventPublisher port for the local runtime: appends each event as one JSON line
 * (`{ source, detailType, time, detail }`, the bus entry's shape) to a file that a person can tail
 * and the e2e tests read.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DomainEvent } from '#domain/kernel/events.ts';
import type { EventPublisher } from '#domain/notifications/ports.ts';
import { busEntry } from './event-source.ts';

export class FilePublisher implements EventPublisher {
  constructor(private readonly path: string) {}

  async publish(event: DomainEvent): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(busEntry(event))}\n`, 'utf8');
  }
}
