import { EventEmitter } from 'node:events';
import type { Notice } from '../contract/notice.js';
import type { ConnectionStatus } from '../contract/status.js';
import { NotificationPolicy, type PolicyOptions } from '../notify/policy.js';
import type { WorkbinChange, WorkbinState } from '../workbins/state.js';
import type { CoreBridge } from './core-bridge.js';

/**
 * Turns the core's changes into notifications when the policy says they are due: a timer
 * set to the policy's own next due time, not a poll. The app shows them natively; browser
 * mode hands them to the page.
 */
export class Notifier extends EventEmitter<{ notice: [Notice] }> {
  private readonly policy: NotificationPolicy;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;

  constructor(
    private readonly bridge: CoreBridge,
    options: PolicyOptions & { readonly now?: () => number } = {},
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.policy = new NotificationPolicy(
      () => bridge.currentSettings,
      (key) => bridge.currentState.workbins.get(key)?.displayName ?? key,
      options,
    );
    bridge.on('changes', this.onChanges);
    bridge.on('status', this.onStatus);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.bridge.off('changes', this.onChanges);
    this.bridge.off('status', this.onStatus);
  }

  private readonly onChanges = ({
    state,
    changes,
  }: {
    state: WorkbinState;
    changes: readonly WorkbinChange[];
  }) => {
    this.policy.onChanges(state, changes, this.now());
    this.schedule();
  };

  private readonly onStatus = (status: ConnectionStatus) => {
    this.policy.onStatus(status, this.now());
    this.schedule();
  };

  private schedule(): void {
    clearTimeout(this.timer);
    const at = this.policy.nextDueAt();
    if (at === null) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - this.now()));
  }

  private fire(): void {
    for (const notice of this.policy.due(this.now())) this.emit('notice', notice);
    this.schedule();
  }
}
