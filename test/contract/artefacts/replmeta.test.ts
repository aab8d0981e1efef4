// replPropertyMetaData as other parties' code sees it (../shared/fixtures/ad-powershell/replmeta,
// layout in replmeta-layout.md): DSInternals' empty-collection test vector, and two blobs a Samba
// DC wrote, decoded by an independent decoder. The provider's parser and builder must agree with both.
import * as path from "node:path";
import { buildReplPropertyMetaData, parseReplPropertyMetaData } from "../../../provider/ad/replmeta";
import { POWERSHELL, readJson, readText } from "./fixtures";

const DIR = path.join(POWERSHELL, "replmeta");

test("DSInternals' empty collection: no entries, and the builder writes the same 16 bytes", () => {
    const hex = readText(path.join(DIR, "dsinternals-empty-structure.hex")).trim();
    expect(parseReplPropertyMetaData(Buffer.from(hex, "hex"))).toEqual([]);
    expect(buildReplPropertyMetaData([]).toString("hex")).toBe(hex);
});

const blobs: any[] = readJson(path.join(DIR, "samba-dbcheck-deleted-user.decoded.json")).blobs;

test.each(blobs.map((b) => [b.name, b] as const))("%s: every entry as the independent decoder read it, and rebuilt byte for byte", (_name, b) => {
    const bytes = Buffer.from(b.base64, "base64");
    expect(bytes.length).toBe(b.bytes);
    const parsed = parseReplPropertyMetaData(bytes);
    expect(parsed).toHaveLength(b.header.count);
    expect(parsed.map((e) => ({ ...e, attid: `0x${e.attid.toString(16).padStart(8, "0")}`, changeTime: e.changeTime.toISOString() }))).toEqual(b.entries);
    expect(buildReplPropertyMetaData(parsed).equals(bytes)).toBe(true);
});
