import type { UserDataValue } from '../contract/domain.js';
import { shortened } from '../contract/text.js';

/** Limits on what one network message may put into the state. */
export const LIMITS = {
  text: 4_096,
  userDataKeys: 256,
  userDataKey: 256,
  id: 256,
} as const;

/** Keys that would reach Object.prototype through a plain assignment. */
const POISONED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface SanitiseReport {
  /** Fields dropped or cut because they were hostile or too large. */
  trimmed: number;
}

export function clip(value: string, max: number, report: SanitiseReport): string {
  if (value.length <= max) return value;
  report.trimmed++;
  return shortened(value, max);
}

/** A display string from any JSON scalar; objects and arrays give undefined. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * An identifier from the network: a non-empty string within `LIMITS.id`, or a finite number
 * read as its text. Anything else (booleans, objects, empty strings) is no id at all: `true`
 * would otherwise become a workbin called "true".
 */
export function idText(value: unknown): string | undefined {
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' && Number.isFinite(value)
        ? String(value)
        : undefined;
  return text && text.length <= LIMITS.id ? text : undefined;
}

function userDataValue(value: unknown, report: SanitiseReport): UserDataValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return clip(value, LIMITS.text, report);
  // Nested key-value lists are kept readable as JSON text.
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return clip(json ?? String(value), LIMITS.text, report);
}

function alreadyClean(raw: object): boolean {
  if (Object.getPrototypeOf(raw) !== Object.prototype) return false;
  const keys = Object.keys(raw);
  if (keys.length > LIMITS.userDataKeys) return false;
  for (const key of keys) {
    if (POISONED_KEYS.has(key) || key.length > LIMITS.userDataKey) return false;
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === 'string') {
      if (value.length > LIMITS.text) return false;
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) return false;
    } else if (value !== null && typeof value !== 'boolean') {
      return false;
    }
  }
  return true;
}

/** userData as untrusted input: bounded, scalar, and unable to pollute prototypes. */
export function sanitiseUserData(
  raw: unknown,
  report: SanitiseReport,
): Readonly<Record<string, UserDataValue>> {
  const clean: Record<string, UserDataValue> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    if (raw !== undefined && raw !== null) report.trimmed++;
    return clean;
  }
  // Nearly every message is already clean: then the freshly parsed object (ours alone, with
  // Object.prototype) is kept instead of copied, which saves an allocation per item.
  if (alreadyClean(raw)) return raw as Record<string, UserDataValue>;
  let count = 0;
  for (const key of Object.keys(raw)) {
    if (POISONED_KEYS.has(key) || key.length > LIMITS.userDataKey || count >= LIMITS.userDataKeys) {
      report.trimmed++;
      continue;
    }
    clean[key] = userDataValue((raw as Record<string, unknown>)[key], report);
    count++;
  }
  return clean;
}
