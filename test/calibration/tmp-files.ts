// Writes small files into a fresh temporary directory for loader tests.
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempFiles(): { write(name: string, text: string): string; dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'molmo-calib-'));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
