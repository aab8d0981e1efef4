// Collections: follow @odata.nextLink until the last page. Graph pages at 25 (Intune) to 100+
// (directory) items, and a partial read would make drift detection and PUT-the-whole-policy wrong.
// graphPages yields one page at a time, so a reader of a large collection (the readiness report's
// 10,000-user pilot group) holds one page in memory, not the collection.
import { ProviderError } from "../core/errors";
import type { GraphClient } from "./client";
import { graphRequestRaw, graphRequestUrl, type GraphRequestSpec } from "./request";

export interface ListSpec extends Omit<GraphRequestSpec, "method" | "body"> {
    /** safety stop against a server that never stops paging; default 1000 pages */
    maxPages?: number;
}

type Page<T> = { value?: T[]; "@odata.nextLink"?: string };

/** Each page's items in turn, every request through the one retry policy (request.ts). */
export async function* graphPages<T = any>(gc: GraphClient, spec: ListSpec): AsyncGenerator<T[]> {
    const maxPages = spec.maxPages ?? 1000;
    const first = await graphRequestRaw<Page<T>>(gc, { ...spec, method: "GET" });
    yield first.body?.value ?? [];
    let next = first.body?.["@odata.nextLink"];
    for (let pages = 1; next; pages++) {
        if (pages >= maxPages) throw new ProviderError("GRAPH_ERROR", `Graph GET ${spec.version}${spec.path}: more than ${maxPages} pages; stopping`);
        const page = await graphRequestUrl<Page<T>>(gc, next, spec);
        yield page.body?.value ?? [];
        next = page.body?.["@odata.nextLink"];
    }
}

export async function graphListAll<T = any>(gc: GraphClient, spec: ListSpec): Promise<T[]> {
    const items: T[] = [];
    for await (const page of graphPages<T>(gc, spec)) items.push(...page);
    return items;
}
