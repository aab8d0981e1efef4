// Microsoft's artefacts, read where CI puts them: `shared/` beside the clone (../shared from the
// repository root). Nothing is copied into the repository; a missing file fails the test that needs it.
import * as fs from "node:fs";
import * as path from "node:path";
import { readBetaExtract, readCsdl, type SchemaModel } from "./csdl";

export const REPO = path.resolve(__dirname, "../../..");
export const SHARED = path.resolve(REPO, "../shared");
export const GRAPH = path.join(SHARED, "fixtures/graph");
export const POWERSHELL = path.join(SHARED, "fixtures/ad-powershell");

export const readText = (file: string): string => fs.readFileSync(file, "utf8").replace(/^\uFEFF/, "");
export const readJson = (file: string): any => JSON.parse(readText(file));

/** A file of real-exports/ by name. */
export const realExport = (name: string): any => readJson(path.join(GRAPH, "real-exports", name));
export const realExportNames = (): string[] => fs.readdirSync(path.join(GRAPH, "real-exports")).filter((f) => f.endsWith(".json")).sort();

/** The 33 setting definitions a real tenant returned. */
export const realDefinitions = (): any[] => realExport("intune-docs-setting-definitions-passportforwork-kerberos.json").definitions;

let v1: SchemaModel | undefined, beta: SchemaModel | undefined;
/** The whole v1.0 CSDL (3.5 MB; read once per test file). */
export const v1Schema = (): SchemaModel => (v1 ??= readCsdl(readText(path.join(GRAPH, "graph-v1.0-csdl.xml")), "v1.0 CSDL"));
export const betaSchema = (): SchemaModel => (beta ??= readBetaExtract(readJson(path.join(GRAPH, "metadata-beta-extract.json")), "beta extract"));
