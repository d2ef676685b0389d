export function codeCachePath(bundle: string): string;
export function runBundle(
  bundle: string,
  options?: { saveAfterMs?: number },
): { cache: 'used' | 'absent' | 'stale'; save(): string | null };
