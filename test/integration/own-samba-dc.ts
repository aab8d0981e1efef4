// Test fixture for the provider/ad and lab-publisher integration tests: one throw-away Samba DC in
// a temporary lab dir, on an address of its own (127.0.0.32/33 belong to these tests), started in
// beforeAll and stopped in afterAll. The admin password is random and never printed.
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "ldapts";
import { LabForest } from "../../lab/layout";
import { labLdapClient, readLabCaPem, stopDc, upForests } from "../../lab/samba";

export interface OwnDc {
    labDir: string;
    forest: LabForest;
    caPem: string;
    adminPassword: string;
    /** an independent, already bound raw ldapts client (lab CA verified); closed by stop() */
    raw(): Promise<Client>;
    stop(): Promise<void>;
}

export async function startOwnDc(name: string, domain: string, ip: string): Promise<OwnDc> {
    const labDir = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-lab-`));
    const adminPassword = `Aa1!${randomBytes(15).toString("base64url")}`;
    const clients: Client[] = [];
    let forest: LabForest | undefined;
    const stop = async () => {
        await Promise.all(clients.map((c) => c.unbind().catch(() => undefined)));
        if (forest) await stopDc(labDir, forest);
        fs.rmSync(labDir, { recursive: true, force: true });
    };
    try {
        [forest] = await upForests(labDir, [{ name, domain, ip }], { [name]: adminPassword });
    } catch (e) {
        await stop().catch(() => undefined);
        throw e;
    }
    const caPem = readLabCaPem(labDir);
    const f = forest;
    return {
        labDir, forest: f, caPem, adminPassword, stop,
        async raw() {
            const c = labLdapClient(f, caPem);
            await c.bind(f.adminDn, adminPassword);
            clients.push(c);
            return c;
        },
    };
}

/** unicodePwd value: the password in double quotes, UTF-16LE. */
export const unicodePwd = (pw: string) => Buffer.from(`"${pw}"`, "utf16le");

/** Independent minimal replPropertyMetaData reader (not provider/ad's parser): the unicodePwd entry. */
export function rawUnicodePwdStamp(blob: Buffer): { version: number; usn: number; seconds1601: bigint; invocationBytes: Buffer } | undefined {
    const count = blob.readUInt32LE(8);
    for (let i = 0; i < count; i++) {
        const o = 16 + 48 * i;
        if (blob.readUInt32LE(o) === 0x0009005a) {
            return { version: blob.readUInt32LE(o + 4), seconds1601: blob.readBigInt64LE(o + 8), invocationBytes: blob.subarray(o + 16, o + 32), usn: Number(blob.readBigInt64LE(o + 32)) };
        }
    }
    return undefined;
}
