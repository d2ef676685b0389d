import type { WorkbinItem } from '../contract/domain.js';
import { contentsField, ITEM_KINDS } from '../contract/kinds.js';
import { MAIN_SLICE_MS, runInSlices } from '../slices/time-slices.js';
import { normaliseResource } from './normalise.js';
import type { SanitiseReport } from './sanitise.js';

/** A contents answer's items, read. */
export interface ReadItems {
  readonly items: WorkbinItem[];
  /** Entries that were not usable, skipped. */
  readonly skipped: number;
  /** Texts cut to their bound. */
  readonly trimmed: number;
}

/**
 * Entries read between looks at the clock: reading the clock per entry would cost more. At
 * 500, a step took 10-18 ms while the code was still cold (20-35 µs an entry), four times
 * the slice.
 */
const STEP_ENTRIES = 100;

/**
 * The items of a contents answer (`workbin.emails`, `workbin.chats`, ...), read in slices of
 * time with the event loop turning between them. Entries that are not usable are skipped and
 * counted in `skipped`.
 */
export function readWorkbinItemsInSlices(
  contents: Record<string, unknown>,
  workbinId: string,
  ownerUserId: string,
): Promise<ReadItems> {
  return runInSlices(readSteps(contents, workbinId, ownerUserId), MAIN_SLICE_MS);
}

function* readSteps(
  contents: Record<string, unknown>,
  workbinId: string,
  ownerUserId: string,
): Generator<void, ReadItems, undefined> {
  const report: SanitiseReport = { trimmed: 0 };
  const items: WorkbinItem[] = [];
  let skipped = 0;
  let read = 0;
  for (const kind of ITEM_KINDS) {
    const list = contents[contentsField(kind)];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      skipped++;
      continue;
    }
    for (const entry of list) {
      const item = normaliseResource(kind, entry, workbinId, ownerUserId, report);
      if (item) items.push(item);
      else skipped++;
      if (++read % STEP_ENTRIES === 0) yield;
    }
  }
  return { items, skipped, trimmed: report.trimmed };
}
