/**
 * Which browser page controls the edge gateway. Several pages may watch (a second desk, a tab
 * left open); one controls: the first to connect, until it leaves or another page takes control
 * (`app.takeControl`). Each page hears `session.changed` when its role or the page count
 * changes. Desktop has one window and needs none of this.
 */

export interface ControlledPage {
  /** Tells the page its role (sends `session.changed`). */
  notify(state: { controlling: boolean; pages: number }): void;
}

export class PageControl {
  /** Connected pages, oldest first. */
  private readonly pages: ControlledPage[] = [];
  private controller: ControlledPage | undefined;

  /** A page connected; the first one controls. */
  join(page: ControlledPage): void {
    this.pages.push(page);
    if (this.controller === undefined) this.controller = page;
    this.notifyAll();
  }

  /** A page left; if it controlled, the oldest remaining page takes over. */
  leave(page: ControlledPage): void {
    const index = this.pages.indexOf(page);
    if (index < 0) return;
    this.pages.splice(index, 1);
    if (this.controller === page) this.controller = this.pages[0];
    this.notifyAll();
  }

  /** `page` takes control; the others watch. */
  take(page: ControlledPage): void {
    if (!this.pages.includes(page) || this.controller === page) return;
    this.controller = page;
    this.notifyAll();
  }

  controls(page: ControlledPage): boolean {
    return this.controller === page;
  }

  get pageCount(): number {
    return this.pages.length;
  }

  private notifyAll(): void {
    for (const page of this.pages)
      page.notify({ controlling: page === this.controller, pages: this.pages.length });
  }
}
