/**
 * Prepares claimed items one at a time, in order, a few ahead of the senders, while
 * `lanes` senders each take the next prepared item and send it to the end (for email:
 * mark it "sending", hand it to SMTP, record the outcome) before taking another.
 *
 * With one lane per pooled SMTP connection, a message is marked "sending" only when a
 * connection is free for it, so at most `lanes` messages are ever marked and not yet
 * settled: all a crash can leave in doubt. Preparing (consent re-check, rendering)
 * overlaps with sending, so the connections do not wait for the whole batch to render.
 *
 * When `signal` aborts (the worker is stopping) or a prepare or send throws, no new
 * item is prepared or started; the sends in flight finish, then the first error is
 * thrown. Items never started are left to the caller to release.
 */
export async function sendThroughLanes<T, P>(
  items: readonly T[],
  opts: {
    lanes: number;
    /** Prepared items waiting for a lane, at most. */
    ahead: number;
    signal?: AbortSignal;
    /** Null: nothing to send (the outcome is already recorded). */
    prepare: (item: T) => Promise<P | null>;
    send: (prepared: P) => Promise<void>;
  },
): Promise<void> {
  const ready: P[] = [];
  let preparing = true;
  let failure = null as { error: unknown } | null; // set by the closures below
  let waiting: (() => void)[] = [];
  const stopped = () => failure !== null || opts.signal?.aborted === true;
  const wakeAll = () => {
    const w = waiting;
    waiting = [];
    for (const f of w) f();
  };
  const wait = () => new Promise<void>((resolve) => waiting.push(resolve));
  opts.signal?.addEventListener("abort", wakeAll, { once: true });

  const preparer = async () => {
    try {
      for (const item of items) {
        while (ready.length >= opts.ahead && !stopped()) await wait();
        if (stopped()) break;
        const prepared = await opts.prepare(item);
        if (prepared !== null) ready.push(prepared);
        wakeAll();
      }
    } catch (error) {
      failure ??= { error };
    } finally {
      preparing = false;
      wakeAll();
    }
  };
  const lane = async () => {
    for (;;) {
      while (ready.length === 0 && preparing && !stopped()) await wait();
      const next = stopped() ? undefined : ready.shift();
      if (next === undefined) return;
      wakeAll(); // room for the preparer
      try {
        await opts.send(next);
      } catch (error) {
        failure ??= { error };
        wakeAll();
        return;
      }
    }
  };
  try {
    await Promise.all([preparer(), ...Array.from({ length: opts.lanes }, lane)]);
  } finally {
    opts.signal?.removeEventListener("abort", wakeAll);
  }
  if (failure) throw failure.error;
}
