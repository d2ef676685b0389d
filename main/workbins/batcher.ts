import { MAIN_SLICE_MS, runInSlices, runToEnd } from '../slices/time-slices.js';
import {
  DEFAULT_LIMITS,
  EMPTY_STATE,
  type Reduced,
  reduceSteps,
  type StateLimits,
  type WorkbinChange,
  type WorkbinEvent,
  type WorkbinState,
} from './state.js';

/**
 * Folds events into the state in batches: everything queued in one turn of the event loop is
 * one reduction, so a burst costs one pass, and consumers see one consistent change set. A
 * reduction that takes long (a large contents load) goes in slices of time with the event
 * loop turning between them; the state stays the one before it until it is done, and events
 * queued meanwhile are folded after it, in order.
 */
export class StateBatcher {
  private current: WorkbinState;
  private queue: WorkbinEvent[] = [];
  private scheduled = false;
  /** A reduction in slices, not yet done. */
  private inProgress: Generator<void, Reduced, undefined> | undefined;
  /** Events enqueued so far, and of them folded into `state`: what `settled` waits on. */
  private enqueued = 0;
  private applied = 0;
  private readonly waiting: { upTo: number; resolve: () => void }[] = [];

  constructor(
    initial: WorkbinState = EMPTY_STATE,
    private readonly onChanges: (state: WorkbinState, changes: readonly WorkbinChange[]) => void,
    private readonly onIgnored: (count: number) => void = () => {},
    private readonly limits: StateLimits = DEFAULT_LIMITS,
  ) {
    this.current = initial;
  }

  get state(): WorkbinState {
    return this.current;
  }

  enqueue(event: WorkbinEvent): void {
    this.queue.push(event);
    this.enqueued++;
    this.schedule();
  }

  /** Resolves once every event enqueued before the call is in `state`. */
  settled(): Promise<void> {
    if (this.applied >= this.enqueued) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ upTo: this.enqueued, resolve }));
  }

  /** Makes `state` current now: a reduction in slices is run to its end, then the queue. */
  flush(): void {
    this.scheduled = false;
    const steps = this.inProgress;
    this.inProgress = undefined;
    if (steps) this.publish(runToEnd(steps));
    const events = this.take();
    if (events) this.publish(runToEnd(reduceSteps(this.current, events, this.limits)));
  }

  private schedule(): void {
    if (this.scheduled || this.inProgress) return;
    this.scheduled = true;
    setImmediate(() => {
      if (!this.scheduled) return;
      this.scheduled = false;
      const events = this.take();
      if (events) void this.reduceInSlices(reduceSteps(this.current, events, this.limits));
    });
  }

  private take(): WorkbinEvent[] | undefined {
    if (this.queue.length === 0) return undefined;
    const events = this.queue;
    this.queue = [];
    return events;
  }

  /** Runs `steps` in slices and publishes them, unless `flush` has run them to their end meanwhile. */
  private async reduceInSlices(steps: Generator<void, Reduced, undefined>): Promise<void> {
    this.inProgress = steps;
    const reduced = await runInSlices(steps, MAIN_SLICE_MS);
    // Run to its end by `flush` meanwhile (the slices then find it done, with no value):
    // published there.
    if (this.inProgress !== steps) return;
    this.inProgress = undefined;
    this.publish(reduced);
    this.schedule();
  }

  private publish({ state, changes, ignored }: Reduced): void {
    this.current = state;
    // Events are folded in the order they came: all those taken so far are in.
    this.applied = this.enqueued - this.queue.length;
    if (ignored > 0) this.onIgnored(ignored);
    if (changes.length > 0) this.onChanges(state, changes);
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i];
      if (waiter && waiter.upTo <= this.applied) {
        this.waiting.splice(i, 1);
        waiter.resolve();
      }
    }
  }
}
