// The lab's KerberosDomain records, persisted as one JSON file under the lab directory so a
// restarted emulator keeps them. Rewritten whole on every change: temp file + rename (atomic on
// POSIX), mode 600 like the rest of the lab state.
import * as fs from "node:fs";
import * as path from "node:path";
import { KerberosDomainRecord } from "./types";

interface StoreFile {
    version: 1;
    domains: Record<string, KerberosDomainRecord>;
}

export class RecordStore {
    private data: StoreFile;

    constructor(private readonly file: string) {
        this.data = this.load();
    }

    private load(): StoreFile {
        if (!fs.existsSync(this.file)) return { version: 1, domains: {} };
        const parsed = JSON.parse(fs.readFileSync(this.file, "utf8")) as StoreFile;
        if (parsed?.version !== 1 || typeof parsed.domains !== "object") throw new Error(`${this.file}: not a Kerberos publisher record store (version 1)`);
        return parsed;
    }

    private persist(): void {
        fs.mkdirSync(path.dirname(this.file), { recursive: true });
        const tmp = `${this.file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify(this.data, null, 2) + "\n", { mode: 0o600 });
        fs.renameSync(tmp, this.file);
    }

    private static key(domain: string): string {
        return domain.trim().toLowerCase().replace(/\.$/, "");
    }

    get(domain: string): KerberosDomainRecord | undefined {
        const r = this.data.domains[RecordStore.key(domain)];
        return r ? { ...r } : undefined;
    }

    put(record: KerberosDomainRecord): void {
        this.data.domains[RecordStore.key(record.domainDnsName)] = { ...record };
        this.persist();
    }

    delete(domain: string): boolean {
        const k = RecordStore.key(domain);
        if (!(k in this.data.domains)) return false;
        delete this.data.domains[k];
        this.persist();
        return true;
    }

    list(): KerberosDomainRecord[] {
        return Object.values(this.data.domains).map((r) => ({ ...r }));
    }
}
