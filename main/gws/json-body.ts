import { setImmediate as nextTurn } from 'node:timers/promises';
import { MAIN_SLICE_MS } from '../slices/time-slices.js';
import { JsonOffThread, OFF_THREAD_BYTES } from './json-off-thread.js';

/** From how many bytes a body is parsed on a worker, and how one is started. */
export interface OffThread {
  readonly from: number;
  /** A worker, or undefined when none can be started. */
  readonly start: () => JsonOffThread | undefined;
}

/** The parse of a body failed for a reason of this process's, not of the body's. */
export class BodyUnreadable extends Error {
  override name = 'BodyUnreadable';
}

/**
 * A response body's JSON: `value` is what `JSON.parse` gives for it, undefined when it is not
 * JSON. Null when the body is (or turns out to be) larger than `max` bytes: it is not read
 * further. A body of `offThread.from` bytes or more is parsed on a worker thread as it
 * arrives; a smaller one here, at its end. Where no worker starts, every body is parsed here.
 * The event loop turns whenever reading has held it `sliceMs`.
 */
export async function readJsonBody(
  response: Response,
  max: number,
  offThread: OffThread = { from: OFF_THREAD_BYTES, start: startWorker },
  sliceMs = MAIN_SLICE_MS,
): Promise<{ value: unknown } | null> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return { value: parseOrUndefined('') };
  const reader = response.body.getReader();
  // Decoded as it comes, not joined into one buffer first: a buffer of a 10,000-item answer
  // (megabytes) is one large malloc, and glibc then keeps the blocks of that size it frees
  // (`watch` settled at 87-90 MB that way, 79-82 MB this way).
  const decoder = new TextDecoder();
  const texts: string[] = [];
  let worker: JsonOffThread | undefined;
  let triedWorker = false;
  let size = 0;
  // Chunks already received are read one after another in microtasks, the event loop never
  // turning: a 10,000-item answer's decoding held it 16-19 ms at a time.
  let turned = performance.now();
  try {
    for (;;) {
      if (performance.now() - turned >= sliceMs) {
        await nextTurn();
        turned = performance.now();
      }
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > max) {
        await reader.cancel().catch(() => {});
        worker?.cancel();
        return null;
      }
      const text = decoder.decode(value, { stream: true });
      if (worker) worker.write(text);
      else texts.push(text);
      if (!triedWorker && size >= offThread.from) {
        // Once: a worker that cannot start now will not for the next chunk either.
        triedWorker = true;
        worker = offThread.start();
        if (worker) for (const earlier of texts.splice(0)) worker.write(earlier);
      }
    }
  } catch (error) {
    worker?.cancel();
    throw error;
  }
  const rest = decoder.decode();
  if (!worker) return { value: parseOrUndefined(texts.join('') + rest) };
  worker.write(rest);
  try {
    return { value: await worker.end() };
  } catch (error) {
    if (error instanceof SyntaxError) return { value: undefined };
    throw new BodyUnreadable(error instanceof Error ? error.message : String(error));
  }
}

function startWorker(): JsonOffThread | undefined {
  try {
    return new JsonOffThread();
  } catch {
    return undefined;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
