/**
 * Sends claimed items with at most `window` of them marked and not yet settled.
 *
 * Marking a message "sending" is the point of no return: a worker that dies after it
 * leaves the row "unknown", never re-sent, since nobody can tell whether the provider
 * got it. Marking a whole claimed batch before the first send would put every message
 * still waiting in the transport's queue at that risk. Here the next items are marked
 * (one statement) only once half the window has landed, so the transport always has
 * work queued while few messages are exposed. Items not marked yet stay "pending"
 * under their claim and go to another worker if this one dies.
 *
 * `mark` returns the items it could mark (a lost claim drops an item). A failing mark
 * or send stops further marking; the sends in flight still finish, then the first
 * error is thrown.
 */
export async function sendInWindow<T>(
  items: readonly T[],
  window: number,
  mark: (chunk: T[]) => Promise<T[]>,
  send: (item: T) => Promise<void>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let next = 0;
  let failure: { error: unknown } | null = null;
  while ((next < items.length && !failure) || running.size > 0) {
    if (next < items.length && !failure && running.size <= window / 2) {
      const chunk = items.slice(next, next + window - running.size);
      next += chunk.length;
      let marked: T[] = [];
      try {
        marked = await mark(chunk);
      } catch (error) {
        failure ??= { error };
      }
      for (const item of marked) {
        const p: Promise<void> = send(item)
          .catch((error: unknown) => void (failure ??= { error }))
          .finally(() => running.delete(p));
        running.add(p);
      }
    } else await Promise.race(running);
  }
  if (failure) throw failure.error;
}
