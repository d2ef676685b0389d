/**
 * `npm run bench`: every figure is the median of several runs, next to the limit it is
 * judged against, measured in the same run. Prints one table and writes it as JSON under
 * bench/results/ (latest.json is this run's); `--readme` also replaces the README's table.
 * Each row has a stable `id`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { SNAPSHOT_PART_ITEMS } from '../main/contract/snapshot-parts.js';
import { browserBench, webHostStallBench, webStartBench } from './browser.js';
import { cacheBench } from './cache.js';
import {
  coreLatencyBench,
  recoveryBench,
  supervisorSyncBench,
  syncStallBench,
  watchRssBench,
} from './core.js';
import { coreHeapBench, heapBench } from './heap.js';
import { ingestBench } from './ingest.js';
import { ingestPathBench } from './ingest-path.js';
import { snapshotCodingBench } from './ipc.js';
import { type BenchResult, type BenchRow, updateReadme } from './readme.js';
import { median } from './stats.js';

const rows: BenchRow[] = [];
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
/** Each step starts with the garbage of the one before collected: some measure in-process. */
const step = (name: string) => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write(`bench: ${name}…\n`);
};

/** A row's median and the fastest and slowest run, rounded alike (and scaled, for %). */
function measured(middle: number, [min, max]: readonly [number, number], digits = 1, scale = 1) {
  return {
    median: round(middle * scale, digits),
    min: round(min * scale, digits),
    max: round(max * scale, digits),
  };
}

const ofRuns = (runs: readonly number[], digits = 1) =>
  measured(median(runs), [Math.min(...runs), Math.max(...runs)], digits);

/** A row's figures whose target is a median under `limit` (in `unit`). */
const under = (runs: readonly number[], digits: number, unit: string, limit: number) => ({
  ...ofRuns(runs, digits),
  unit,
  limit: `< ${limit} ${unit}`,
  pass: median(runs) < limit,
});

/** A row's figures with no target: shown for what they tell, never passed or failed. */
const noTarget = (runs: readonly number[], digits: number, unit: string) => ({
  ...ofRuns(runs, digits),
  unit,
  limit: '-',
  pass: null,
});

/** A ratio as a percentage, with the per-run range: a near miss should show how near. */
function percent(ratio: number, [low, high]: readonly [number, number]): string {
  return `${round(ratio * 100)}%, runs ${round(low * 100)}–${round(high * 100)}%`;
}

// First, in a process that has not yet held the large states of the steps below: the core
// runs in this process, and their garbage is not its own.
/** `h0`, `h10k`, `h100k`: the items held, in a row's id. */
const heldId = (held: number) => `h${held >= 1000 ? `${held / 1000}k` : held}`;
const heldText = (held: number) =>
  held > 0 ? `, ${held.toLocaleString('en')} items held in the same workbin` : '';

for (const held of [0, 10_000, 30_000, 100_000]) {
  step(`core latency, ${held.toLocaleString('en')} held`);
  const core = await coreLatencyBench(300, 3, held);
  rows.push(
    {
      id: `core.p50.${heldId(held)}`,
      metric: `latency publish -> core state, p50${heldText(held)}`,
      ...noTarget(core.p50s, 2, 'ms'),
    },
    {
      id: `core.p99.${heldId(held)}`,
      metric: `latency publish -> core state, p99${heldText(held)}`,
      ...under(core.p99s, 2, 'ms', 5),
    },
  );
}

step('core latency, a full workbin');
// 100,000 held in a workbin bounded at 100,000: each sample makes room by letting the oldest go.
const full = await coreLatencyBench(300, 3, 100_000, 100_000);
rows.push({
  id: 'core.p99.h100k.full',
  metric:
    'latency publish -> core state, p99, 100,000 held in a workbin bounded at 100,000 (the oldest go)',
  ...under(full.p99s, 2, 'ms', 5),
});

step('ingest, in process');
// Parse + validate + reduce without the network: where the client's CPU goes.
const ingest = ingestBench();
const ingestNoSave = ingestBench(20_000, 7, 1_000, false);
rows.push(
  {
    id: 'ingest.raw',
    metric: 'raw JSON.parse of the 20k payloads (the limit)',
    ...measured(ingest.raw, ingest.rawRange, 0),
    unit: 'msg/s',
    limit: '-',
    pass: null,
  },
  {
    id: 'pipeline.b1000.h0',
    metric: 'in process, no network: parse+validate+reduce, 1,000 messages per batch',
    ...measured(ingestNoSave.pipeline, ingestNoSave.pipelineRange, 0),
    unit: 'msg/s',
    limit: `- (${percent(ingestNoSave.ratio, ingestNoSave.ratioRange)} of raw)`,
    pass: null,
  },
  {
    id: 'pipeline.b1000.h0.snapshot',
    metric: 'the same, then one whole cache snapshot written in one go (12 MB)',
    ...measured(ingest.pipeline, ingest.pipelineRange, 0),
    unit: 'msg/s',
    limit: `- (${percent(ingest.ratio, ingest.ratioRange)} of raw)`,
    pass: null,
  },
);
for (const [id, batch, held] of [
  ['pipeline.b100.h0', 100, 0],
  ['pipeline.b1.h0', 1, 0],
  ['pipeline.b1.h100k', 1, 100_000],
] as const) {
  const one = ingestBench(5_000, 5, batch, false, held);
  rows.push({
    id,
    metric: `in process, no network: ${batch} per batch, ${held.toLocaleString('en')} items held`,
    ...measured(one.pipeline, one.pipelineRange, 0),
    unit: 'msg/s',
    limit: `- (${percent(one.ratio, one.ratioRange)} of raw)`,
    pass: null,
  });
}

step('ingest through the real path');
// Long-poll replies over HTTP from another process, read by the cometd client, validated,
// reduced and journaled: the limit is raw JSON.parse of the same reply bodies over the
// client's CPU time.
for (const [batch, held, count] of [
  [1_000, 0, 20_000],
  [100, 0, 5_000],
  [1, 0, 2_000],
  [1_000, 100_000, 20_000],
  [100, 100_000, 5_000],
  [1, 100_000, 2_000],
] as const) {
  const path = await ingestPathBench(count, batch, held);
  rows.push({
    id: `ingest.b${batch}.h${held === 0 ? '0' : '100k'}`,
    metric: `ingest, CometD long poll -> state + cache journal, ${batch} per reply, ${held.toLocaleString('en')} held`,
    ...measured(path.rate, path.rateRange, 0),
    unit: 'msg/s',
    limit: `>= 60% of raw (${percent(path.ratio, path.ratioRange)})`,
    pass: path.ratio >= 0.6,
  });
}

// The cometd client alone, each message dropped as it comes: the ceiling of the path above.
for (const [batch, count] of [
  [1_000, 20_000],
  [100, 5_000],
  [1, 2_000],
] as const) {
  const client = await ingestPathBench(count, batch, 0, 3, true);
  rows.push({
    id: `ingest.client.b${batch}`,
    metric: `the cometd client alone (HTTP, parse, dispatch; each message dropped), ${batch} per reply`,
    ...measured(client.rate, client.rateRange, 0),
    unit: 'msg/s',
    limit: `- (${percent(client.ratio, client.ratioRange)} of raw)`,
    pass: null,
  });
}

for (const held of [10_000, 100_000]) {
  const h = heldId(held);
  const n = held.toLocaleString('en');
  step(`cache at ${n} items`);
  const saving = await cacheBench(held);
  rows.push(
    {
      id: `cache.stall.${h}`,
      metric: `cache snapshot written in the background, ${n} items: longest event-loop stall`,
      ...measured(saving.stall, saving.stallRange, 1),
      unit: 'ms',
      limit: '< 16 ms',
      pass: saving.stall < 16,
    },
    {
      id: `cache.stall.oneshot.${h}`,
      metric: 'the same snapshot in one go (quitting mid-write; how every save was written before)',
      ...measured(saving.blocking, saving.blockingRange, 1),
      unit: 'ms',
      limit: '-',
      pass: null,
    },
    {
      id: `cache.cpu.${h}`,
      metric: `cache journal at a steady 4 messages/s, ${n} items: CPU share of one core (with saves - without)`,
      ...measured(saving.cpu, saving.cpuRange, 1, 100),
      unit: '%',
      limit: '< 5%',
      pass: saving.cpu < 0.05,
    },
    ...(saving.previews.length > 0
      ? [
          {
            id: `cache.preview.${h}`,
            metric: `start from cache: the head and the newest ${SNAPSHOT_PART_ITEMS} items of ${n} read alone (the first screen's share)`,
            ...noTarget(saving.previews, 1, 'ms'),
          },
        ]
      : []),
    {
      id: `cache.load.${h}`,
      metric: `start from cache: snapshot + journal of ${n} items read and validated`,
      ...measured(saving.load, saving.loadRange, 0),
      unit: 'ms',
      limit: '-',
      pass: null,
    },
    {
      id: `cache.load.stall.${h}`,
      metric: `the same read as a start reads it, in slices: longest event-loop stall`,
      ...noTarget(saving.loadStalls, 1, 'ms'),
    },
  );
}

step('browser (latency, 10k render, scroll, start)');
const ui = await browserBench();
// The issue sets 20 ms at 30,000 held; 0 held keeps the 50 ms it had; 10,000 and 100,000
// are shown without a limit.
const uiLimits = new Map([
  [0, 50],
  [30_000, 20],
]);
for (const { held, p50s, p99s, arrivalP99s, drawP99s } of ui.latencies) {
  const limit = uiLimits.get(held);
  rows.push(
    {
      id: `ui.p50.${heldId(held)}`,
      metric: `latency publish -> row in the browser UI, p50${heldText(held)}`,
      ...noTarget(p50s, 2, 'ms'),
    },
    {
      id: `ui.p99.${heldId(held)}`,
      metric: `latency publish -> row in the browser UI, p99${heldText(held)}`,
      ...(limit === undefined ? noTarget(p99s, 2, 'ms') : under(p99s, 2, 'ms', limit)),
    },
    // The two parts of the row above: where its time goes.
    {
      id: `ui.arrive.p99.${heldId(held)}`,
      metric: `of it: publish -> event in the page, p99${heldText(held)}`,
      ...noTarget(arrivalP99s, 2, 'ms'),
    },
    {
      id: `ui.draw.p99.${heldId(held)}`,
      metric: `of it: event in the page -> row drawn at the next frame, p99${heldText(held)}`,
      ...noTarget(drawP99s, 2, 'ms'),
    },
  );
}
rows.push(
  {
    id: 'ui.render.h10k',
    metric: '10k-item workbin: first render',
    ...measured(ui.render, ui.ranges.render, 1),
    unit: 'ms',
    limit: '< 200 ms',
    pass: ui.render < 200,
  },
  {
    id: 'ui.scroll.max.h10k',
    metric: '10k-item workbin: longest scroll frame',
    ...measured(ui.frameMax, ui.ranges.frameMax, 1),
    unit: 'ms',
    limit: '<= 32 ms',
    pass: ui.frameMax <= 32,
  },
  {
    id: 'ui.scroll.p99.h10k',
    metric: '10k-item workbin: scroll frame p99',
    ...measured(ui.frameP99, ui.ranges.frameP99, 1),
    unit: 'ms',
    limit: '-',
    pass: null,
  },
  {
    id: 'ui.burst.dropped.h10k',
    metric: '5,000 items/s for 1 s with 10,000 held: dropped frames until all are listed',
    ...measured(ui.burstDropped, ui.ranges.burstDropped, 0),
    unit: 'frames',
    limit: '0',
    pass: ui.burstDropped === 0,
  },
  {
    id: 'ui.burst.longtasks.h10k',
    metric: 'the same burst: long tasks (> 50 ms) in the page',
    ...measured(ui.burstLongTasks, ui.ranges.burstLongTasks, 0),
    unit: 'tasks',
    limit: '-',
    pass: null,
  },
  {
    id: 'ui.burst.visible.h10k',
    metric: 'the same burst: first publish -> all 5,000 listed',
    ...measured(ui.burstVisible, ui.ranges.burstVisible, 0),
    unit: 'ms',
    limit: '-',
    pass: null,
  },
  {
    id: 'ui.search.h100k',
    metric:
      'typing and clearing a search with 100,000 held: a keystroke (filter, order, render), median',
    ...measured(ui.searchKey, ui.ranges.searchKey, 1),
    unit: 'ms',
    limit: '-',
    pass: null,
  },
  {
    id: 'ui.search.max.h100k',
    metric: 'the same: the slowest keystroke',
    ...measured(ui.searchKeyMax, ui.ranges.searchKeyMax, 1),
    unit: 'ms',
    limit: '-',
    pass: null,
  },
  {
    id: 'start.page.cached10k',
    metric: 'start: cached 10k state -> first rendered list',
    ...measured(ui.start, ui.ranges.start, 1),
    unit: 'ms',
    limit: '< 500 ms',
    pass: ui.start < 500,
  },
);

step('the snapshot through IPC and as JSON, 100,000 items');
const coding = snapshotCodingBench();
rows.push(
  {
    id: 'ipc.clone.h100k',
    metric:
      "100,000-item snapshot through V8's serializer and back (Electron IPC's encoding; the transfer unmeasured)",
    ...noTarget(coding.clone, 0, 'ms'),
  },
  {
    id: 'web.json.h100k',
    metric: 'the same as JSON, stringified and parsed (browser mode)',
    ...noTarget(coding.json, 0, 'ms'),
  },
  {
    id: 'ipc.part.h100k',
    metric: `the same in parts of ${SNAPSHOT_PART_ITEMS.toLocaleString('en')}, as the app sends it: the slowest part serialised (the main process's longest stop per part)`,
    ...noTarget(coding.slowestPart, 1, 'ms'),
  },
);

step('the web host while a page opens on 100,000 items');
const hostStalls = await webHostStallBench();
rows.push({
  id: 'web.stall.h100k',
  metric:
    'web host holding 100,000 items: longest event-loop stall while a page connects, reads the snapshot in parts and renders it',
  ...under(hostStalls.stalls, 1, 'ms', 16),
});
rows.push({
  id: 'web.stall.h100k.cpu',
  metric:
    'the CPU the host process used (all its threads) within each of those stalls: far less, and it was waiting for a core the browser held',
  ...noTarget(hostStalls.cpu, 1, 'ms'),
});

step('npm run web, the whole command');
const web = await webStartBench();
for (const [id, runs, limit, what] of [
  ['start.web.cold', web.cold, 700, 'the demo server'],
  ['start.web.cached10k', web.cached, 900, 'a 10,000-item cache, server down'],
  // The issue asks that a start from a 100,000-item cache stay under the same target.
  ['start.web.cached100k', web.cached100k, 900, 'a 100,000-item cache, server down'],
] as const) {
  rows.push({
    id,
    metric: `\`npm run web\` started -> the whole list rendered in an open tab (${what})`,
    ...under(runs, 0, 'ms', limit),
  });
}
rows.push({
  id: 'start.web.cached100k.first',
  metric:
    'the same, to its first screen: the newest 500 rendered, the count saying the rest is loading',
  ...under(web.first100k, 0, 'ms', 900),
});
rows.push({
  id: 'start.web.cached100k.devtools',
  metric:
    'the same with DevTools watching the network, as under Playwright (each WebSocket frame copied to it)',
  ...noTarget(web.devtools100k, 0, 'ms'),
});

step('heap');
const heap = heapBench();
const coreHeap = await coreHeapBench();
rows.push(
  {
    id: 'heap.core.h10k',
    metric: 'a process running the core with 10,000 items synced: V8 heap after GC',
    ...under(coreHeap, 1, 'MB', 60),
  },
  {
    id: 'heap.total.h10k',
    metric: '10k-item workbin: process heap after GC (the bench process, all its modules loaded)',
    ...under(heap.totals, 1, 'MB', 60),
  },
  {
    id: 'heap.state.h10k',
    metric: '10k-item workbin: heap held by the state',
    ...noTarget(heap.states, 1, 'MB'),
  },
);

step('supervisor sync');
const team = await supervisorSyncBench();
rows.push({
  id: 'sync.supervisor.20agents',
  metric:
    'supervisor watching 20 agents (80 workbins, 2,000 items): sign-in -> first complete sync',
  ...under(team, 0, 'ms', 2_000),
});

step('a first sync and a resync, 10,000 and 100,000 items');
// No target of issue 14 names it; the 16 ms its other stall rows hold to is the limit here.
for (const [held, h] of [
  [10_000, 'h10k'],
  [100_000, 'h100k'],
] as const) {
  const sync = await syncStallBench(held);
  rows.push(
    {
      id: `sync.stall.${h}`,
      metric: `the core's first sync of ${held.toLocaleString('en')} items in one workbin: longest event-loop stall`,
      ...under(sync.stalls, 1, 'ms', 16),
    },
    {
      id: `sync.stall.${h}.cpu`,
      metric: 'the CPU the core used within each of those stalls',
      ...noTarget(sync.cpu, 1, 'ms'),
    },
    {
      id: `sync.${h}`,
      metric: `the same sync: sign-in -> ${held.toLocaleString('en')} items held`,
      ...noTarget(sync.syncs, 0, 'ms'),
    },
    {
      id: `sync.resync.stall.${h}`,
      metric: `a resync after it (as at every reconnect), ${held.toLocaleString('en')} items held and loaded again: longest event-loop stall`,
      ...under(sync.resyncs, 1, 'ms', 16),
    },
  );
}

step('watch memory');
const rss = await watchRssBench();
const rss100k = await watchRssBench(100_000, 3);
rows.push(
  {
    id: 'rss.core.h10k',
    metric: '`npm run watch` holding 10,000 items, idle 30 s after the sync: resident memory',
    ...under(rss.settled, 1, 'MB', 100),
  },
  {
    id: 'rss.core.h10k.synced',
    metric: "the same, 0.5 s after the sync (the load's garbage not yet given back)",
    ...noTarget(rss.synced, 1, 'MB'),
  },
  {
    id: 'rss.core.h100k',
    metric: '`npm run watch` holding 100,000 items, idle 30 s after the sync: resident memory',
    ...noTarget(rss100k.settled, 1, 'MB'),
  },
);

step('recovery');
const recovery = await recoveryBench();
rows.push({
  id: 'recovery.restart2s',
  metric: 'recovery: server back (after 2 s down) -> resubscribed + resynced',
  ...ofRuns(recovery, 0),
  unit: 'ms',
  limit: 'default backoff',
  pass: null,
});

const width = Math.max(...rows.map((r) => r.metric.length));
const lines = [
  `${'metric'.padEnd(width)}  ${'median'.padStart(12)}  unit   limit`,
  ...rows.map(
    (r) =>
      `${r.metric.padEnd(width)}  ${String(r.median).padStart(12)}  ${r.unit.padEnd(5)}  ${r.limit}  [runs ${r.min}–${r.max}]${r.pass === null ? '' : r.pass ? '  PASS' : '  MISS'}`,
  ),
];
console.log(lines.join('\n'));

const result: BenchResult = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? '', node: process.version },
  rows,
};
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  `bench/results/${result.at.replace(/[:.]/g, '-')}.json`,
  `${JSON.stringify(result, null, 2)}\n`,
);
writeFileSync('bench/results/latest.json', `${JSON.stringify(result, null, 2)}\n`);
// The README shows a deliberate run (on a quiet machine), not whichever ran last.
if (process.argv.includes('--readme')) updateReadme(result);
else console.log('README table unchanged (npm run bench -- --readme to replace it)');
