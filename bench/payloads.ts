import { ITEM_KINDS, stateResourceField } from '../main/contract/kinds.js';
import { parseWorkbinMessage } from '../main/workbins/messages.js';
import type { WorkbinEvent } from '../main/workbins/state.js';
import { buildStateResource } from '../sim/resources.js';

/** The account a benchmark's cache snapshots belong to: the cache tests' own. */
export { SESSION } from '../main/cache/test-support.js';

/**
 * Customers write in their own languages: one subject in ten is not ASCII, as in a real
 * contact centre's workbins. A benchmark of ASCII-only text measures a faster path than
 * users take (a file or message with one non-ASCII character decodes and parses slower).
 */
const SUBJECTS = ['Réclamation', 'Rückruf erbeten', 'Заказ', '予約の確認', 'Thanks 🙂'];

function subjectOf(i: number): string {
  return i % 10 === 0 ? `${SUBJECTS[(i / 10) % SUBJECTS.length]} ${i}` : `Subject number ${i}`;
}

/** `count` ItemAdded messages as GWS sends them (about 1.3 KB each), spread over workbins. */
export function itemAddedPayloads(count: number, workbins = 6): string[] {
  const payloads: string[] = [];
  for (let i = 0; i < count; i++) {
    const kind = ITEM_KINDS[i % ITEM_KINDS.length] ?? 'email';
    const workbinId = `workbin-${i % workbins}`;
    const id = `ID${i.toString(16).toUpperCase().padStart(14, '0')}`;
    const resource = buildStateResource({ kind, workbinId, subject: subjectOf(i) }, id);
    payloads.push(
      JSON.stringify({
        messageType: 'WorkbinStateChangeMessage',
        action: 'ItemAdded',
        id: workbinId,
        workbinAgentId: '1001',
        [stateResourceField(kind)]: resource,
        notificationType: 'StatusChange',
      }),
    );
  }
  return payloads;
}

/** The listing of the workbins the payloads go to: only listed workbins take messages. */
export function listedEvent(workbins = 6): WorkbinEvent {
  return {
    type: 'workbins-listed',
    ownerUserId: 'u-agent1',
    workbins: Array.from({ length: workbins }, (_, i) => ({
      id: `workbin-${i}`,
      ownerUserId: 'u-agent1',
      displayName: `Workbin ${i}`,
      type: 'Agent' as const,
    })),
  };
}

/** The listing, then the same messages parsed into reducer events, as the core has them. */
export function itemAddedEvents(count: number, workbins = 6): WorkbinEvent[] {
  return [
    listedEvent(workbins),
    ...itemAddedPayloads(count, workbins).flatMap((p) => {
      const parsed = parseWorkbinMessage(JSON.parse(p), 'u-agent1');
      return parsed.ok ? [{ type: 'message' as const, message: parsed.value.message }] : [];
    }),
  ];
}

/**
 * The bodies of long-poll replies carrying payloads `offset` to `offset + count`, `batch` to
 * a reply, as a Bayeux server sends them (each data message with its channel and id). Both
 * the ingest bench's responder and its raw-parse limit build them here, so they are the same.
 */
export function replyBodies(count: number, batch: number, offset = 0): string[] {
  const payloads = itemAddedPayloads(offset + count).slice(offset);
  const bodies: string[] = [];
  for (let start = 0; start < payloads.length; start += batch) {
    const messages = payloads
      .slice(start, start + batch)
      .map(
        (data, i) => `{"channel":"/v2/me/workbins","data":${data},"id":"${offset + start + i}"}`,
      );
    bodies.push(`[${messages.join(',')}]`);
  }
  return bodies;
}
