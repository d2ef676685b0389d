import { DEFAULT_LIMITS, type StateLimits } from '../workbins/state.js';
import { usageError } from './args.js';

/** The options that bound what the state holds, for every command that runs the core. */
export const LIMIT_OPTIONS = {
  'max-items-per-workbin': { type: 'string' },
  'max-held-mb': { type: 'string' },
} as const;

export const LIMITS_USAGE = `  --max-items-per-workbin <n>  hold at most n items per workbin, the newest (default ${DEFAULT_LIMITS.itemsPerWorkbin})
  --max-held-mb <n>    hold at most n MiB of items in all, the newest (default ${DEFAULT_LIMITS.retainedBytes / 1024 / 1024})`;

/** `--max-items-per-workbin` and `--max-held-mb` over the defaults; a bad value exits 2. */
export function limitsOption(
  values: { 'max-items-per-workbin'?: string | undefined; 'max-held-mb'?: string | undefined },
  usage: string,
): StateLimits {
  const whole = (name: string, value: string | undefined, max: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max)
      usageError(`--${name}: "${value}" is not a whole number from 1 to ${max}`, usage);
    return n;
  };
  const items = whole('max-items-per-workbin', values['max-items-per-workbin'], 10_000_000);
  const mib = whole('max-held-mb', values['max-held-mb'], 64 * 1024);
  return {
    itemsPerWorkbin: items ?? DEFAULT_LIMITS.itemsPerWorkbin,
    retainedBytes: mib === undefined ? DEFAULT_LIMITS.retainedBytes : mib * 1024 * 1024,
  };
}
