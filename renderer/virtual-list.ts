/**
 * A list that keeps only the rows in view (plus a margin) in the DOM, so 10 000 items scroll
 * like 20. Rows have a fixed height. A row stays with its item while the item is in view:
 * when one arrives at the top, the rows below move down (a transform, no layout) and only the
 * new one is filled. Rows refilled by position cost every row's content and its layout on
 * each live item, most of a frame's work with a list in view. Rows that leave the view are
 * hidden and reused.
 */
export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer: HTMLDivElement;
  /** The rows in view, by their item's key, in list order (their order in the DOM too). */
  private shown = new Map<string, HTMLElement>();
  private readonly spare: HTMLElement[] = [];
  /** Where each row was last put, to write its transform only when it moves. */
  private readonly placed = new WeakMap<HTMLElement, number>();
  private frame = 0;
  /**
   * The scroll position as last read or set. Read once a render: each read after the DOM
   * was written is a layout of the page there and then, and the frame lays it out again.
   */
  private top = 0;

  constructor(
    readonly viewport: HTMLElement,
    private readonly rowHeight: number,
    private readonly renderRow: (row: HTMLElement, item: T, index: number) => void,
    /** Identifies an item across updates, so a reader's place can be kept. */
    private readonly keyOf: (item: T) => string,
    private readonly overscan = 8,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    viewport.append(this.spacer);
    viewport.addEventListener(
      'scroll',
      () => {
        this.top = viewport.scrollTop;
        this.schedule();
      },
      { passive: true },
    );
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /**
   * Shows `items`. With `keepPlace`, a reader who has scrolled down keeps the row at the top
   * of the view where it is, however many rows arrive or leave above it. Returns how many
   * rows the kept row moved down (new rows above it), 0 when it did not or nothing was kept.
   * It reads the viewport's geometry: call it before the frame's other writes to the page.
   */
  setItems(items: readonly T[], keepPlace: boolean): number {
    const { scrollTop, clientHeight } = this.viewport;
    const at = Math.floor(scrollTop / this.rowHeight);
    const anchor = keepPlace && scrollTop > 0 ? this.items[at] : undefined;
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    let moved = 0;
    let top = scrollTop;
    if (anchor !== undefined) {
      const key = this.keyOf(anchor);
      const now = items.findIndex((item) => this.keyOf(item) === key);
      if (now >= 0 && now !== at) {
        top = scrollTop + (now - at) * this.rowHeight;
        this.viewport.scrollTop = top;
        moved = now - at;
      }
    }
    // A shorter list brings the position back at the next layout; so here, without one.
    this.render(
      Math.min(top, Math.max(0, items.length * this.rowHeight - clientHeight)),
      clientHeight,
    );
    return moved;
  }

  /** Whether the reader is at the top of the list (where new rows appear when newest first). */
  get atTop(): boolean {
    return this.top < this.rowHeight / 2;
  }

  /** Scrolls just enough to show row `index`. */
  reveal(index: number): void {
    const top = index * this.rowHeight;
    const { scrollTop, clientHeight } = this.viewport;
    if (top < scrollTop) this.viewport.scrollTop = top;
    else if (top + this.rowHeight > scrollTop + clientHeight)
      this.viewport.scrollTop = top + this.rowHeight - clientHeight;
    this.render();
  }

  get pageSize(): number {
    return Math.max(1, Math.floor(this.viewport.clientHeight / this.rowHeight));
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render(scrollTop = this.viewport.scrollTop, clientHeight = this.viewport.clientHeight): void {
    this.top = scrollTop;
    const first = Math.max(0, Math.floor(scrollTop / this.rowHeight) - this.overscan);
    const last = Math.min(
      this.items.length,
      Math.ceil((scrollTop + clientHeight) / this.rowHeight) + this.overscan,
    );
    const next = new Map<string, HTMLElement>();
    for (let index = first; index < last; index++) {
      const item = this.items[index] as T;
      const key = this.keyOf(item);
      let row = this.shown.get(key);
      if (row) this.shown.delete(key);
      else row = this.spare.pop() ?? this.viewport.appendChild(document.createElement('div'));
      next.set(key, row);
      row.hidden = false;
      if (this.placed.get(row) !== index) {
        this.placed.set(row, index);
        row.style.transform = `translateY(${index * this.rowHeight}px)`;
      }
      this.renderRow(row, item, index);
    }
    for (const row of this.shown.values()) {
      row.hidden = true;
      // An id names a place in the list (row-5); the row now in that place has it.
      row.removeAttribute('id');
      this.spare.push(row);
    }
    this.shown = next;
    // The DOM follows the list's order, as assistive technology and a reader of the page
    // expect: a row that arrived at the top is one move.
    let cursor = this.spacer.nextSibling;
    for (const row of next.values()) {
      if (row === cursor) cursor = cursor.nextSibling;
      else this.viewport.insertBefore(row, cursor);
    }
  }
}
