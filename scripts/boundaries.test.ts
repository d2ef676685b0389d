import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const biome = join(root, 'node_modules', '.bin', 'biome');

/**
 * Lints planted files under the project's own biome.json in a scratch folder with the same
 * layout, and returns the planted paths Biome flagged with noRestrictedImports.
 */
function flagged(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'boundaries-'));
  const config = JSON.parse(readFileSync(join(root, 'biome.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete config.$schema;
  config.vcs = { enabled: false };
  writeFileSync(join(dir, 'biome.json'), JSON.stringify(config));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), `${source}\n\nexport const planted = X;\n`);
  }
  const run = spawnSync(biome, ['lint', '--max-diagnostics=200', '.'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const output = `${run.stdout}${run.stderr}`;
  const hits = new Set<string>();
  for (const match of output.matchAll(/^(\S+\.ts):\d+:\d+ lint\/style\/noRestrictedImports/gm))
    if (match[1]) hits.add(match[1]);
  return [...hits].sort();
}

describe('import boundaries (biome.json noRestrictedImports)', () => {
  it('fails each planted violation and passes each allowed import', () => {
    const violations = {
      'main/bridge/electron.ts': "import { app as X } from 'electron';",
      'main/cli/store.ts': "import X from 'electron-store';",
      'renderer/electron.ts': "import { app as X } from 'electron';",
      'main/bridge/sim.ts': "import { GwsSimulator as X } from '../../sim/simulator.js';",
      'main/shell/sim.ts': "import { GwsSimulator as X } from '../../sim/simulator.js';",
      'main/cli/tooling.ts': "import { buildShell as X } from '../../scripts/build-shell.js';",
      'renderer/core.ts': "import { deltaEvent as X } from '../main/bridge/dto.js';",
      'renderer/views/core.ts': "import { reduce as X } from '../../main/workbins/state.js';",
      'sim/contract.ts': "import { ITEM_KINDS as X } from '../main/contract/kinds.js';",
      'main/contract/up.ts': "import { reduce as X } from '../workbins/state.js';",
      'main/contract/package.ts': "import X from 'tough-cookie';",
      'main/shell/double.ts': "import { app as X } from '../../e2e/electron-double/electron.js';",
      'main/bridge/double.ts':
        "import { ShellProcess as X } from '../../e2e/electron-double/launch.js';",
    };
    const allowed = {
      'main/shell/electron.ts': "import { app as X } from 'electron';",
      'renderer/contract.ts': "import { ITEM_KINDS as X } from '../main/contract/kinds.js';",
      'main/contract/inside.ts': "import { ITEM_KINDS as X } from './kinds.js';",
      'main/bridge/contract.ts': "import { ITEM_KINDS as X } from '../contract/kinds.js';",
      'main/bridge/oracle.test.ts': "import { GwsSimulator as X } from '../../sim/simulator.js';",
      'scripts/web.ts': "import { GwsSimulator as X } from '../sim/simulator.js';",
      'e2e/electron-double/host.ts': "import { app as X } from 'electron';",
    };
    expect(flagged({ ...violations, ...allowed })).toEqual(Object.keys(violations).sort());
  });
});
