// Where the shared samples and bug cases live relative to the repo, and whether they exist.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = path.resolve(repoRoot, '../shared');
export const samplesDir = path.join(sharedDir, 'samples');
export const bugcasesDir = path.join(sharedDir, 'bugcases');
export const hasShared = existsSync(samplesDir);
export const hasBugcases = existsSync(bugcasesDir);

export function sample(...parts: string[]): string {
  return path.join(samplesDir, ...parts);
}

export function bugcase(...parts: string[]): string {
  return path.join(bugcasesDir, ...parts);
}
