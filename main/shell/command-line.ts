import { parseArgs } from 'node:util';
import { usageError } from '../cli/args.js';
import { LIMIT_OPTIONS, LIMITS_USAGE, limitsOption } from '../cli/limits.js';
import { readSettings } from '../contract/settings.js';
import type { StateLimits } from '../workbins/state.js';

const USAGE = `Workbin Tray options:
  --hidden             start in the tray, no window (how it starts at login)
  --popup-shortcut <accelerator>  the global shortcut for the popup, kept in the settings
                       (CommandOrControl+Alt+W; off removes it)
${LIMITS_USAGE}`;

export interface AppOptions {
  readonly hidden: boolean;
  readonly limits: StateLimits;
  /** Undefined: not given; null: `off`. */
  readonly popupShortcut: string | null | undefined;
}

/**
 * The app's own options; Electron's and Chromium's are left alone (not strict). A bad value
 * exits 2 and says why, as `watch` and `web` do.
 */
export function appOptions(argv: readonly string[]): AppOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...LIMIT_OPTIONS,
      hidden: { type: 'boolean' },
      'popup-shortcut': { type: 'string' },
    },
    strict: false,
    allowPositionals: true,
  });
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const shortcut = text(values['popup-shortcut']);
  const popupShortcut = shortcut === 'off' ? null : shortcut;
  if (popupShortcut && readSettings({ popupShortcut }).popupShortcut !== popupShortcut)
    usageError(`--popup-shortcut: "${popupShortcut}" is not an accelerator`, USAGE);
  return {
    hidden: values.hidden === true,
    limits: limitsOption(
      {
        'max-items-per-workbin': text(values['max-items-per-workbin']),
        'max-held-mb': text(values['max-held-mb']),
      },
      USAGE,
    ),
    popupShortcut,
  };
}
