/**
 * Durable group state: an append-only JSON-lines journal (`<dataDir>/groups.journal`) of committed offsets and
 * group snapshots (generation, protocol, members, assignments). Replayed on start, then rewritten compactly.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../storage/atomic-file.js';

export interface StoredMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: string }[]; // metadata base64
  assignment: string; // base64
}

export interface StoredGroup {
  groupId: string;
  generation: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null;
  members: StoredMember[];
}

export interface StoredOffset {
  offset: number;
  metadata: string | null;
  commitTimestamp: number;
  leaderEpoch: number;
}

type Entry =
  | { t: 'group'; g: StoredGroup }
  | { t: 'offset'; g: string; topic: string; p: number; o: StoredOffset }
  | { t: 'delete-offset'; g: string; topic: string; p: number }
  | { t: 'delete-group'; g: string };

export class GroupStore {
  private readonly file: string;
  private fd: number;
  private live = 0;
  private appended = 0;
  readonly groups = new Map<string, StoredGroup>();
  readonly offsets = new Map<string, Map<string, StoredOffset>>();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'groups.journal');
    if (fs.existsSync(this.file)) {
      for (const line of fs.readFileSync(this.file, 'utf8').split('\n')) {
        if (!line) continue;
        let e: Entry;
        try {
          e = JSON.parse(line) as Entry;
        } catch {
          break; // a torn last line from a crash mid-write
        }
        this.apply(e);
      }
    }
    this.fd = this.rewrite();
  }

  /** Rewrites the journal with only the live state; returns the new append descriptor. */
  private rewrite(): number {
    const compact: string[] = [];
    for (const g of this.groups.values()) compact.push(JSON.stringify({ t: 'group', g }));
    for (const [g, m] of this.offsets) {
      for (const [k, o] of m) {
        const i = k.lastIndexOf(':');
        compact.push(JSON.stringify({ t: 'offset', g, topic: k.slice(0, i), p: Number(k.slice(i + 1)), o }));
      }
    }
    writeFileAtomic(this.file, compact.length ? compact.join('\n') + '\n' : '');
    this.live = compact.length;
    this.appended = 0;
    return fs.openSync(this.file, 'a');
  }

  private apply(e: Entry): void {
    switch (e.t) {
      case 'group': this.groups.set(e.g.groupId, e.g); break;
      case 'offset': {
        let m = this.offsets.get(e.g);
        if (!m) this.offsets.set(e.g, (m = new Map()));
        m.set(`${e.topic}:${e.p}`, e.o);
        break;
      }
      case 'delete-offset': this.offsets.get(e.g)?.delete(`${e.topic}:${e.p}`); break;
      case 'delete-group': this.groups.delete(e.g); this.offsets.delete(e.g); break;
    }
  }

  private write(e: Entry): void {
    this.apply(e);
    fs.writeSync(this.fd, JSON.stringify(e) + '\n');
    // Frequent commits would grow the journal without bound: rewrite it once it is mostly superseded lines.
    if (++this.appended > 10_000 && this.appended > 4 * this.live) {
      fs.closeSync(this.fd);
      this.fd = this.rewrite();
    }
  }

  saveGroup(g: StoredGroup): void {
    this.write({ t: 'group', g });
  }

  commitOffset(groupId: string, topic: string, partition: number, o: StoredOffset): void {
    this.write({ t: 'offset', g: groupId, topic, p: partition, o });
  }

  deleteOffset(groupId: string, topic: string, partition: number): void {
    this.write({ t: 'delete-offset', g: groupId, topic, p: partition });
  }

  deleteGroup(groupId: string): void {
    this.write({ t: 'delete-group', g: groupId });
  }

  offset(groupId: string, topic: string, partition: number): StoredOffset | undefined {
    return this.offsets.get(groupId)?.get(`${topic}:${partition}`);
  }

  close(): void {
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    } catch {
      /* already closed */
    }
  }
}
