import { spawn, spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/run-bundled.mjs', ...args], {
    cwd: root,
    encoding: 'utf8',
  });

describe('npm run web / watch, bundled', () => {
  it('builds the bundle when a source is newer, and not otherwise', () => {
    expect(run('watch', '--help').status).toBe(0);
    const bundle = `${root}dist/cli/watch.mjs`;
    const built = statSync(bundle).mtimeMs;
    expect(run('watch', '--help').stdout).toContain('Usage: npm run watch');
    expect(statSync(bundle).mtimeMs).toBe(built);
    // A source changed since: the next start builds again.
    const later = new Date(built + 5_000);
    utimesSync(`${root}main/cli/args.ts`, later, later);
    expect(run('watch', '--help').status).toBe(0);
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(built);
  });

  it('keeps paths next to their sources: web builds the renderer and serves the demo data', async () => {
    const child = spawn(process.execPath, ['scripts/run-bundled.mjs', 'web', '--port', '0'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('web did not start')), 20_000);
        child.once('exit', (code) => reject(new Error(`web exited ${code}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          const match = /^Workbin Tray:\s+(\S+)/.exec(line);
          if (!match?.[1]) return;
          clearTimeout(timer);
          resolve(match[1]);
        });
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('says how to use it when the command is unknown', () => {
    const unknown = run('deploy');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('usage: node scripts/run-bundled.mjs <web|watch>');
  });
});
