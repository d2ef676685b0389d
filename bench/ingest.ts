import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { confBackendIn } from '../main/cache/conf-backend.js';
import { WorkbinCache } from '../main/cache/workbin-cache.js';
import { parseWorkbinMessage } from '../main/workbins/messages.js';
import { EMPTY_STATE, itemCount, reduce, type WorkbinEvent } from '../main/workbins/state.js';
import { itemAddedPayloads, listedEvent, SESSION } from './payloads.js';
import { median, timeIt } from './stats.js';

/**
 * The core's ingest path for `count` ItemAdded messages: JSON.parse, validate + normalise,
 * reduce (in batches of `batch`: the core reduces once per event-loop turn, i.e. once per
 * long-poll reply, and a burst arrives in replies of thousands), and one cache save at the
 * end (the app saves at most once a second). The limit is raw JSON.parse of the same strings.
 */
export function ingestBench(count = 20_000, runs = 7, batch = 1_000, withSave = true, held = 0) {
  const all = itemAddedPayloads(held + count);
  const payloads = all.slice(held);
  // `held` items already in the state (one batch, as a load brings them): the cost of a
  // message must not grow with them.
  const heldEvents: WorkbinEvent[] = all.slice(0, held).flatMap((p) => {
    const parsed = parseWorkbinMessage(JSON.parse(p), 'u-agent1');
    return parsed.ok ? [{ type: 'message' as const, message: parsed.value.message }] : [];
  });
  const listed = reduce(EMPTY_STATE, [listedEvent(), ...heldEvents]).state;
  heldEvents.length = 0;
  const dir = mkdtempSync(join(tmpdir(), 'wbt-bench-'));
  const { cache } = WorkbinCache.open(confBackendIn(dir));
  const rawTimes: number[] = [];
  const pipelineTimes: number[] = [];
  let items = 0;
  for (let run = 0; run < runs; run++) {
    rawTimes.push(
      timeIt(() => {
        for (const p of payloads) JSON.parse(p);
      }),
    );
    pipelineTimes.push(
      timeIt(() => {
        let state = listed;
        let events: WorkbinEvent[] = [];
        for (const p of payloads) {
          const parsed = parseWorkbinMessage(JSON.parse(p), 'u-agent1');
          if (parsed.ok) events.push({ type: 'message', message: parsed.value.message });
          if (events.length === batch) {
            state = reduce(state, events).state;
            events = [];
          }
        }
        state = reduce(state, events).state;
        if (withSave) cache.save({ savedAt: Date.now(), session: SESSION, state, unseen: [] });
        items = itemCount(state);
      }),
    );
  }
  rmSync(dir, { recursive: true, force: true });
  if (items !== held + count) throw new Error(`ingest lost items: ${items} of ${held + count}`);
  const rate = (ms: number) => count / (ms / 1000);
  const raw = rate(median(rawTimes));
  const pipeline = rate(median(pipelineTimes));
  // Each run's pipeline against the same run's raw parse: the spread of the ratio itself.
  const ratios = pipelineTimes.map((t, i) => (rawTimes[i] as number) / t);
  return {
    count,
    raw,
    rawRange: [rate(Math.max(...rawTimes)), rate(Math.min(...rawTimes))] as const,
    pipeline,
    pipelineRange: [rate(Math.max(...pipelineTimes)), rate(Math.min(...pipelineTimes))] as const,
    ratio: pipeline / raw,
    ratioRange: [Math.min(...ratios), Math.max(...ratios)] as const,
  };
}

if (import.meta.url === `file://${process.argv[1]}`)
  console.log(ingestBench(), ingestBench(20_000, 7, 1_000, false));
