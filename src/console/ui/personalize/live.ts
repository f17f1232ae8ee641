// Resources move through CREATE PENDING → CREATE IN_PROGRESS → ACTIVE | CREATE FAILED on the server's
// schedule. A panel showing one that is still moving reads it again until it settles, and stops when
// the panel leaves the page (the router replaced it).
import { showError } from '../dom.js';

/** Statuses after which nothing changes without a new request. */
const SETTLED = new Set(['ACTIVE', 'CREATE FAILED', 'CREATE STOPPED', 'INACTIVE', 'COMPLETED', 'FAILED']);

export const settled = (status: string | undefined): boolean => status === undefined || SETTLED.has(status);

/** How often a moving resource is read again. */
export const POLL_MS = 400;

/** The latest drawing of each panel: an older one still loading must not paint over it. */
const latest = new WeakMap<HTMLElement, object>();

/**
 * Loads, then `show`s what was loaded in `panel` (returning whether anything shown is still moving),
 * and again every POLL_MS while something moves and `panel` is on the page. A later call for the
 * same panel (after a create or delete) takes over; AWS's message shows in the panel if a load fails.
 * Resolves after the first drawing.
 */
export async function keepDrawn<T>(panel: HTMLElement, load: () => Promise<T>, show: (data: T) => boolean): Promise<void> {
  const mine = {};
  latest.set(panel, mine);
  const current = () => latest.get(panel) === mine;
  const once = async (): Promise<void> => {
    let moving: boolean;
    try {
      const data = await load();
      if (!current()) return;
      moving = show(data);
    } catch (e) {
      if (current()) showError(panel, e);
      return;
    }
    if (moving) setTimeout(() => void (current() && panel.isConnected && once()), POLL_MS);
  };
  await once();
}
