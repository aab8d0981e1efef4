import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Faults } from "../../../lab/publisher/faults";
import { RecordStore } from "../../../lab/publisher/store";
import { KerberosDomainRecord } from "../../../lab/publisher/types";

describe("Faults", () => {
    it("fires one-shot and counted faults per domain, then disarms", () => {
        const f = new Faults();
        f.add({ domain: "Corp.lab.test", point: "afterAdObjects" });
        f.add({ domain: "corp.lab.test", point: "afterRotation", times: 2 });
        expect(() => f.check("other.lab.test", "afterAdObjects")).not.toThrow();
        expect(() => f.check("corp.lab.test", "afterAdObjects")).toThrow(/Injected fault for corp.lab.test.*before the Kerberos domain was published/);
        expect(() => f.check("corp.lab.test", "afterAdObjects")).not.toThrow();
        expect(() => f.check("corp.lab.test", "afterRotation")).toThrow(/after the key was rotated/);
        expect(f.list()).toEqual([{ domain: "corp.lab.test", point: "afterRotation", times: 1 }]);
        expect(() => f.check("corp.lab.test", "afterRotation")).toThrow();
        expect(f.list()).toEqual([]);
    });

    it("delays and clears", async () => {
        const f = new Faults();
        f.add({ domain: "a.test", point: "delay", delayMs: 30 });
        const t0 = Date.now();
        await f.delay("a.test");
        expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
        f.add({ domain: "a.test", point: "afterAdObjects", times: 5 });
        f.add({ domain: "b.test", point: "afterAdObjects" });
        f.clear("a.test");
        expect(f.list().map((x) => x.domain)).toEqual(["b.test"]);
        f.clear();
        expect(f.list()).toEqual([]);
    });

    it("delays at a named point of a call only there (where a test stops the DC mid-operation)", async () => {
        const f = new Faults();
        f.add({ domain: "a.test", point: "delay", delayMs: 30, at: "afterRotation" });
        expect(f.list()).toEqual([{ domain: "a.test", point: "delay", times: 1, delayMs: 30, at: "afterRotation" }]);
        let t0 = Date.now();
        await f.delay("a.test");                    // the start of a call: not this fault
        await f.delay("a.test", "afterAdObjects");  // nor this point
        expect(Date.now() - t0).toBeLessThan(25);
        expect(f.list()).toHaveLength(1);
        t0 = Date.now();
        await f.delay("a.test", "afterRotation");
        expect(Date.now() - t0).toBeGreaterThanOrEqual(25);
        expect(f.list()).toEqual([]);
        expect(() => f.add({ domain: "a", point: "afterAdObjects", at: "afterRotation" })).toThrow(/at applies to delay only/);
        expect(() => f.add({ domain: "a", point: "delay", delayMs: 5, at: "midway" as never })).toThrow(/at applies to delay only/);
    });

    it("validates specs", () => {
        const f = new Faults();
        expect(() => f.add({ domain: "", point: "afterAdObjects" })).toThrow(/domain/);
        expect(() => f.add({ domain: "a", point: "nope" as never })).toThrow(/point/);
        expect(() => f.add({ domain: "a", point: "afterAdObjects", times: 0 })).toThrow(/times/);
        expect(() => f.add({ domain: "a", point: "delay" })).toThrow(/delayMs/);
    });
});

describe("RecordStore", () => {
    const rec: KerberosDomainRecord = {
        objectId: "o", domainDnsName: "corp.lab.test", branchId: 7, displayName: "krbtgt_7", keyVersion: 4000,
        keyUpdatedOn: "2026-01-01T00:00:00.000Z", createdOn: "x", updatedOn: "y",
    };

    it("persists records across instances (a restarted emulator keeps them), mode 600, case-insensitive keys", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kerbstore-"));
        try {
            const file = path.join(dir, "sub", "kerberos-domains.json");
            const a = new RecordStore(file);
            expect(a.get("corp.lab.test")).toBeUndefined();
            a.put(rec);
            expect(fs.statSync(file).mode & 0o777).toBe(0o600);
            const b = new RecordStore(file);
            expect(b.get("CORP.lab.test.")).toEqual(rec);
            expect(b.list()).toHaveLength(1);
            expect(b.delete("corp.lab.test")).toBe(true);
            expect(b.delete("corp.lab.test")).toBe(false);
            expect(new RecordStore(file).list()).toEqual([]);
            expect(fs.readdirSync(path.dirname(file))).toEqual(["kerberos-domains.json"]); // no temp files left
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses a file that is not a record store", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kerbstore-"));
        try {
            const file = path.join(dir, "x.json");
            fs.writeFileSync(file, JSON.stringify({ hello: 1 }));
            expect(() => new RecordStore(file)).toThrow(/not a Kerberos publisher record store/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
