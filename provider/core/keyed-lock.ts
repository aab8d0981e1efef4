// Runs async sections one at a time per key, in arrival order. Used where two operations of one
// process would otherwise race each other on the same remote object (e.g. read-modify-writes of
// Conditional Access policies in one tenant, which Graph cannot make conditional).
export class KeyedLock {
    private readonly tails = new Map<string, Promise<unknown>>();

    async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
        const before = this.tails.get(key) ?? Promise.resolve();
        const mine = before.catch(() => undefined).then(fn);
        const tail = mine.catch(() => undefined);
        this.tails.set(key, tail);
        try {
            return await mine;
        } finally {
            // the last one out leaves no entry behind
            if (this.tails.get(key) === tail) this.tails.delete(key);
        }
    }
}
