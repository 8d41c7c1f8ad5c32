/** The cluster id is generated once per data directory and kept in `meta.properties`, as Kafka does. */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileAtomic } from './atomic-file.js';

export function loadClusterId(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'meta.properties');
  if (fs.existsSync(file)) {
    const m = /^cluster\.id=(.+)$/m.exec(fs.readFileSync(file, 'utf8'));
    if (m) return m[1]!.trim();
  }
  const id = randomBytes(16).toString('base64url').slice(0, 22);
  writeFileAtomic(file, `version=1\ncluster.id=${id}\nnode.id=1\n`);
  return id;
}
