/**
 * A list that keeps only the rows in view (plus a margin) in the DOM, so 10 000 items scroll
 * like 20. Rows have a fixed height; row elements are reused as the view moves.
 */
export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer: HTMLDivElement;
  private readonly pool: HTMLElement[] = [];
  private frame = 0;

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
    viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  /**
   * Shows `items`. With `keepPlace`, a reader who has scrolled down keeps the row at the top
   * of the view where it is, however many rows arrive or leave above it. Returns how many
   * rows the kept row moved down (new rows above it), 0 when it did not or nothing was kept.
   */
  setItems(items: readonly T[], keepPlace: boolean): number {
    const { scrollTop } = this.viewport;
    const at = Math.floor(scrollTop / this.rowHeight);
    const anchor = keepPlace && scrollTop > 0 ? this.items[at] : undefined;
    this.items = items;
    this.spacer.style.height = `${items.length * this.rowHeight}px`;
    let moved = 0;
    if (anchor !== undefined) {
      const key = this.keyOf(anchor);
      const now = items.findIndex((item) => this.keyOf(item) === key);
      if (now >= 0 && now !== at) {
        this.viewport.scrollTop = scrollTop + (now - at) * this.rowHeight;
        moved = now - at;
      }
    }
    this.render();
    return moved;
  }

  /** Whether the reader is at the top of the list (where new rows appear when newest first). */
  get atTop(): boolean {
    return this.viewport.scrollTop < this.rowHeight / 2;
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

  render(): void {
    const { scrollTop, clientHeight } = this.viewport;
    const first = Math.max(0, Math.floor(scrollTop / this.rowHeight) - this.overscan);
    const last = Math.min(
      this.items.length,
      Math.ceil((scrollTop + clientHeight) / this.rowHeight) + this.overscan,
    );
    const needed = Math.max(0, last - first);
    while (this.pool.length < needed) {
      const row = document.createElement('div');
      this.pool.push(row);
      this.viewport.append(row);
    }
    for (let i = 0; i < this.pool.length; i++) {
      const row = this.pool[i] as HTMLElement;
      const index = first + i;
      const item = this.items[index];
      if (i >= needed || item === undefined) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      row.style.transform = `translateY(${index * this.rowHeight}px)`;
      this.renderRow(row, item, index);
    }
  }
}
