import {
  DEFAULT_LIMITS,
  EMPTY_STATE,
  reduce,
  type StateLimits,
  type WorkbinChange,
  type WorkbinEvent,
  type WorkbinState,
} from './state.js';

/**
 * Folds events into the state in batches: everything queued in one turn of the event loop is
 * one reduction, so a burst costs one pass, and consumers see one consistent change set.
 */
export class StateBatcher {
  private current: WorkbinState;
  private queue: WorkbinEvent[] = [];
  private scheduled = false;

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
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const events = this.queue;
    this.queue = [];
    const { state, changes, ignored } = reduce(this.current, events, this.limits);
    this.current = state;
    if (ignored > 0) this.onIgnored(ignored);
    if (changes.length > 0) this.onChanges(state, changes);
  }
}
