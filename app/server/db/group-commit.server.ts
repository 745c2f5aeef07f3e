/**
 * Group commit: concurrent callers' items are written together in one statement
 * (one transaction, one WAL flush) instead of one each. No timer: while a write is
 * in flight, new items queue; when it completes, everything queued goes in the next
 * one. An idle system therefore writes at once, a busy one in growing batches.
 * Every caller still gets its answer only after its own rows are committed.
 */
export class GroupCommitter<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private inFlight = 0;

  constructor(
    /** Writes the items and returns one result per item, in order. */
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly maxItems = 500,
    /** Parallel writes allowed (a connection pool can run several at once). */
    private readonly maxInFlight = 2,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const group = this.queue.splice(0, this.maxItems);
      this.inFlight++;
      // The next group is sent before this one's callers resume: answering them (a socket
      // write each) would otherwise keep the database idle between commits.
      this.write(group.map((g) => g.item)).then(
        (results) => {
          this.done();
          group.forEach((g, i) => g.resolve(results[i] as R));
        },
        (err: unknown) => {
          this.done();
          group.forEach((g) => g.reject(err));
        },
      );
    }
  }

  private done(): void {
    this.inFlight--;
    this.pump();
  }
}
