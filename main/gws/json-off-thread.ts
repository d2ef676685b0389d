import { Worker } from 'node:worker_threads';

/**
 * A body of this many bytes or more is parsed on a worker thread. Parsed here it stops the
 * main process's event loop for about 2.7 ms a MB on a 2-core machine (a 100,000-item
 * contents answer, 130 MB: 370 ms with its collections): from 4 MB, a 60 Hz frame or more.
 * The worker costs memory and time: a first sync of 10,000 items (13 MB) stopped the
 * core for 25-31 ms at most with it, 51-66 ms without, and took 0.43-0.49 s against
 * 0.32-0.36 s, and the watch settled at 81-85 MB against 75-77 MB.
 */
export const OFF_THREAD_BYTES = 4 * 1024 * 1024;

/** Elements of a large array sent back in one message: some 5 ms each to take in. */
const PIECE_ELEMENTS = 1_000;

/**
 * The worker, as source text: it is started with `eval`, so that it needs no file of its
 * own beside a bundle or inside an app's archive. It gathers the document's text as it comes
 * and parses it at the end. A structured clone of the whole value would be taken in by the main
 * thread in one turn, as long as the parse: so the large arrays (in the value, or in objects
 * up to two levels down) go back in pieces, after the value with those arrays emptied, each
 * piece when the main thread asks for it.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const texts = [];
const pieces = [];
const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
// A string: the document's next text; null: its end; true: the main thread asks for more.
parentPort.on('message', (message) => {
  if (message === true) {
    parentPort.postMessage(pieces.shift() ?? { kind: 'end' });
    return;
  }
  if (typeof message === 'string') {
    texts.push(message);
    return;
  }
  let value;
  try {
    value = JSON.parse(texts.join(''));
  } catch (error) {
    parentPort.postMessage({ kind: 'invalid', message: String(error && error.message) });
    return;
  }
  texts.length = 0;
  const empty = (holder, path, depth) => {
    for (const key of Object.keys(holder)) {
      const field = holder[key];
      if (Array.isArray(field) && field.length > ${PIECE_ELEMENTS}) {
        for (let i = 0; i < field.length; i += ${PIECE_ELEMENTS})
          pieces.push({ kind: 'piece', path: [...path, key], elements: field.slice(i, i + ${PIECE_ELEMENTS}) });
        // Defined, not assigned: a key "__proto__" is an own field of a parsed object.
        Object.defineProperty(holder, key, { value: [], writable: true, enumerable: true, configurable: true });
      } else if (depth < 2 && isRecord(field)) empty(field, [...path, key], depth + 1);
    }
  };
  if (isRecord(value)) empty(value, [], 0);
  parentPort.postMessage({ kind: 'value', value });
});
`;

type FromWorker =
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'piece'; readonly path: readonly string[]; readonly elements: unknown[] }
  | { readonly kind: 'end' };

/**
 * One JSON document parsed on a worker thread: its text written as it arrives, its value
 * given back by `end()`, the same as `JSON.parse` of the whole text would give. The main
 * thread's share is copying the text to the worker and taking the value back in pieces.
 */
export class JsonOffThread {
  readonly #worker: Worker;
  readonly #result: Promise<unknown>;

  /** Throws when no worker can be started; the caller then parses on its own thread. */
  constructor() {
    // Not unref'd: a parse under way keeps the process alive until it is given back (the
    // worker ends once the value is settled, or the caller gives it up).
    this.#worker = new Worker(WORKER_SOURCE, { eval: true });
    this.#result = new Promise((resolve, reject) => {
      let value: unknown;
      this.#worker.on('message', (message: FromWorker) => {
        switch (message.kind) {
          case 'invalid':
            reject(new SyntaxError(message.message));
            break;
          case 'value':
            value = message.value;
            this.#askForMore();
            break;
          case 'piece':
            try {
              arrayAt(value, message.path).push(...message.elements);
            } catch (error) {
              reject(error);
              return;
            }
            this.#askForMore();
            break;
          case 'end':
            resolve(value);
            break;
        }
      });
      this.#worker.once('error', reject);
      this.#worker.once('exit', () => reject(new Error('the JSON worker ended early')));
    });
    // Settled one way or the other, the worker has nothing more to do.
    this.#result.then(
      () => this.#worker.terminate(),
      () => this.#worker.terminate(),
    );
  }

  /**
   * The next piece, asked for once the event loop has turned: messages that are waiting are
   * all taken in in one turn, so the worker sends one piece at a time.
   */
  #askForMore(): void {
    setImmediate(() => this.#worker.postMessage(true));
  }

  /** Copies the next `text` of the document to the worker. */
  write(text: string): void {
    this.#worker.postMessage(text);
  }

  /** The document's value; a SyntaxError when it is not JSON. */
  end(): Promise<unknown> {
    this.#worker.postMessage(null);
    return this.#result;
  }

  /** Gives the document up (a body that failed or grew too large). */
  cancel(): void {
    void this.#worker.terminate();
    this.#result.catch(() => {});
  }
}

/** The array the worker emptied at `path` in `value`: own fields only, as it walked them. */
function arrayAt(value: unknown, path: readonly string[]): unknown[] {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key))
      throw new Error(
        `the JSON worker sent a piece for a field it did not empty: ${path.join('.')}`,
      );
    at = (at as Record<string, unknown>)[key];
  }
  if (!Array.isArray(at)) throw new Error(`the JSON worker's piece is not for an array`);
  return at;
}
