/**
 * A process that saves a small snapshot, then a large one in one go (as quitting does), and
 * says `saved` or `failed <code>`. The test starts it with a file size limit that the large
 * one passes: its write fails part way, as on a full disk, or as a kill would cut it.
 */
import { EMPTY_STATE, reduce } from '../workbins/state.js';
import { SnapshotFiles } from './snapshot-files.js';
import { item, SESSION as session } from './test-support.js';

// Past the limit, a write fails with EFBIG instead of the process being killed.
process.on('SIGXFSZ', () => {});
const files = new SnapshotFiles(process.argv[2] ?? '', () => 1);
files.load();
const snapshotOf = (count: number) => ({
  savedAt: count,
  session,
  unseen: [],
  state: reduce(EMPTY_STATE, [
    {
      type: 'contents-loaded',
      ownerUserId: 'u-agent1',
      workbinId: 'inbox',
      items: Array.from({ length: count }, (_, i) => item(`i${i}`)),
      at: 5,
    },
  ]).state,
});
files.save(snapshotOf(3));
try {
  files.save(snapshotOf(5_000));
  console.log('saved');
} catch (error) {
  console.log(`failed ${(error as NodeJS.ErrnoException).code}`);
}
files.close();
