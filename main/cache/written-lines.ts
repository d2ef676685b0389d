import { closeSync, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import type { WorkbinItem } from '../contract/domain.js';

/**
 * An item line of a snapshot file this process wrote: its workbin, the very item objects it
 * holds, and where its text lies in the file after the `{"w":<n>,` that places it among the
 * head's workbins. Items are immutable, so a line whose items are all still the state's own
 * objects holds what a new line would: the next snapshot copies its text instead of encoding
 * it again (a whole 100,000-item snapshot took 0.6-0.7 s of CPU to encode).
 */
export interface ItemLine {
  readonly workbin: string;
  readonly items: readonly WorkbinItem[];
  /** Byte offsets in the file: from `"items":` to past the line's newline. */
  readonly start: number;
  readonly end: number;
}

/** The lines of the file last written, and which file that was. */
export interface WrittenLines {
  readonly lines: readonly ItemLine[];
  readonly file: FileIdentity;
}

/**
 * Enough to tell that the file is still the one written: another writer changes one of them.
 * Where a file system keeps times to the second only (HFS+), an edit of the same size within
 * that second would pass; only another writer makes one.
 */
interface FileIdentity {
  readonly ino: number;
  readonly size: number;
  readonly mtimeMs: number;
}

const identity = ({ ino, size, mtimeMs }: Stats): FileIdentity => ({ ino, size, mtimeMs });

/** `lines`, just written to the file at `path`; null when it cannot be told apart later. */
export function writtenLines(path: string, lines: readonly ItemLine[]): WrittenLines | null {
  try {
    return { lines, file: identity(statSync(path)) };
  } catch {
    return null;
  }
}

/** Lines that a new snapshot may copy, read from the file they were written to. */
export interface LineSource {
  /** The lines of one workbin, in the order written. */
  linesOf(workbin: string): readonly ItemLine[];
  /** A line's text after its prefix (ASCII: the writer escapes all else). */
  text(line: ItemLine): string;
}

/**
 * Opens the file at `path` to copy `written`'s lines from: null when there are none, or the
 * file is not the one they were written to (replaced, changed, gone). The descriptor holds
 * the file as it is now, whatever is renamed over its path meanwhile; `close` lets it go.
 */
export function openLineSource(
  path: string,
  written: WrittenLines | null,
): (LineSource & { close(): void }) | null {
  if (!written || written.lines.length === 0) return null;
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  const now = identity(fstatSync(fd));
  const { file } = written;
  if (now.ino !== file.ino || now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    closeSync(fd);
    return null;
  }
  const byWorkbin = new Map<string, ItemLine[]>();
  for (const line of written.lines) {
    const lines = byWorkbin.get(line.workbin);
    if (lines) lines.push(line);
    else byWorkbin.set(line.workbin, [line]);
  }
  return {
    linesOf: (workbin) => byWorkbin.get(workbin) ?? [],
    text(line) {
      const bytes = Buffer.allocUnsafe(line.end - line.start);
      for (let at = 0; at < bytes.length; ) {
        const read = readSync(fd, bytes, at, bytes.length - at, line.start + at);
        if (read === 0) throw new Error('the snapshot file ended before its line');
        at += read;
      }
      return bytes.toString('latin1');
    },
    close: () => closeSync(fd),
  };
}
