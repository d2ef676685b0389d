import type { WorkbinItem } from '../contract/domain.js';
import { contentsField, ITEM_KINDS } from '../contract/kinds.js';
import { normaliseResource } from './normalise.js';
import type { SanitiseReport } from './sanitise.js';

/**
 * The items of a contents answer (`workbin.emails`, `workbin.chats`, ...). Entries that are
 * not usable are skipped and counted in `skipped`.
 */
export function readWorkbinItems(
  contents: Record<string, unknown>,
  workbinId: string,
  ownerUserId: string,
): { items: WorkbinItem[]; skipped: number; trimmed: number } {
  const report: SanitiseReport = { trimmed: 0 };
  const items: WorkbinItem[] = [];
  let skipped = 0;
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
    }
  }
  return { items, skipped, trimmed: report.trimmed };
}
