/**
 * A process that saves a small snapshot, then a larger one (`now`: in one go, as quitting
 * does, saying `saved` or `failed <code>`; `slices`: in the background; `append`: as a change
 * to the journal; these two say `idle` once done). The test starts it with a file size limit
 * that the larger one passes: its write fails part way, as on a full disk.
 */
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { SnapshotFiles } from './snapshot-files.js';
import { item, SESSION as session } from './test-support.js';

// Past the limit, a write fails with EFBIG instead of the process being killed.
process.on('SIGXFSZ', () => {});
const [path = '', how = 'now'] = process.argv.slice(2);
const files = new SnapshotFiles(path, () => 1);
files.load();
const reduced = (count: number) =>
  reduce(EMPTY_STATE, [
    {
      type: 'contents-loaded',
      ownerUserId: 'u-agent1',
      workbinId: 'inbox',
      items: Array.from({ length: count }, (_, i) => item(`i${i}`)),
      at: 5,
    },
  ]);
const snapshotOf = (count: number) => ({
  savedAt: count,
  session,
  unseen: [],
  state: reduced(count).state,
});
files.save(snapshotOf(3));
// 600 items: just past the limit, so that the write that crosses it is the last one.
if (how === 'slices' || how === 'append') {
  files.saveSoon(snapshotOf(600), how === 'append' ? { changes: reduced(600).changes } : 'unknown');
  await files.idle;
  console.log('idle');
} else {
  try {
    files.save(snapshotOf(5_000));
    console.log('saved');
  } catch (error) {
    console.log(`failed ${(error as NodeJS.ErrnoException).code}`);
  }
}
files.close();
