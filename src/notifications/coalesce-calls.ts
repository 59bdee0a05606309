/**
 * Turns many single-item calls into few batched ones (group commit): the calls made while a
 * batch is being written wait and go together in the next one, so under load each round trip
 * carries many items, and a lone call waits no longer than one turn of the event loop. Every
 * caller gets its own item's answer, or the batch's error (the caller decides how to retry).
 */
export function coalesceCalls<In, Out>(
  runBatch: (items: In[]) => Promise<Out[]>,
  options: { maxBatch?: number } = {},
): (item: In) => Promise<Out> {
  const maxBatch = options.maxBatch ?? 100;
  const waiting: Array<{ item: In; resolve(out: Out): void; reject(error: unknown): void }> = [];
  let busy = false;

  const next = () => {
    if (busy || waiting.length === 0) return;
    busy = true;
    // One turn of the event loop: the calls started together (one claim's emails) join.
    setImmediate(() => {
      const batch = waiting.splice(0, maxBatch);
      runBatch(batch.map((w) => w.item))
        .then(
          (outs) => batch.forEach((w, i) => w.resolve(outs[i] as Out)),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          busy = false;
          next();
        });
    });
  };

  return (item) =>
    new Promise<Out>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      next();
    });
}
