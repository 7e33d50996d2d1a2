// A build stopped by a signal removes its spilled activity and its half-written output.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dist = path.resolve(import.meta.dirname, '../../dist');
const scratch = mkdtempSync(path.join(tmpdir(), 'dora-interrupt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs `script` (ESM) in a child, sends `signal` once it prints "ready", returns how it ended. */
function stopWhenReady(script: string, signal: NodeJS.Signals) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('ready')) child.kill(signal);
      });
      child.on('error', reject);
      child.on('close', (code, ended) => resolve({ code, signal: ended, out }));
    },
  );
}

describe('stopping signals', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s removes the spilled activity runs',
    async (signal) => {
      const parent = mkdtempSync(path.join(scratch, 'store-'));
      const script = `
      import { readdirSync } from 'node:fs';
      const { ActivityStore } = await import(${JSON.stringify(`${dist}/pipeline/activity-store.js`)});
      const store = new ActivityStore({ limitBytes: 4096, tempDir: ${JSON.stringify(parent)} });
      for (let i = 0; i < 200; i += 1) {
        store.add({ id: 'ev' + i, at: '2026-01-01T00:00:00.000Z', stage: 'activity', action: 'x',
          outcome: 'success', summary: 's', tickets: [], source: { importer: 'vault', file: 'f',
          sha256: 'a', locator: 'line ' + i } });
      }
      console.log(readdirSync(${JSON.stringify(parent)}).length + ' ready');
      setInterval(() => undefined, 1000);
    `;
      const ended = await stopWhenReady(script, signal);
      expect(ended.out).toContain('1 ready');
      expect(ended.signal).toBe(signal);
      expect(readdirSync(parent)).toEqual([]);
    },
  );

  it('removes the temporary file of an output being written', async () => {
    const target = path.join(scratch, 'bundle.zip');
    const script = `
      import { writeFileSync } from 'node:fs';
      const { writeAtomically } = await import(${JSON.stringify(`${dist}/export/atomic-file.js`)});
      await writeAtomically(${JSON.stringify(target)}, true, async (temp) => {
        writeFileSync(temp, 'half');
        console.log(temp + ' ready');
        await new Promise(() => setInterval(() => undefined, 1000));
      });
    `;
    const ended = await stopWhenReady(script, 'SIGINT');
    const temp = ended.out.replace(/ ready\s*$/, '');
    expect(ended.signal).toBe('SIGINT');
    expect(temp).toMatch(/bundle\.zip\.\d+\.1\.tmp$/);
    expect(readdirSync(path.dirname(temp))).not.toContain(path.basename(temp));
    expect(readdirSync(scratch)).not.toContain('bundle.zip');
  });
});
