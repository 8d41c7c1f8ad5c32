/** Crash-safe small-file writes: write a temp file, fsync it, rename over the target. */
import fs from 'node:fs';

export function writeFileAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.tmp`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}
