// Collections: follow @odata.nextLink until the last page. Graph pages at 25 (Intune) to 100+
// (directory) items, and a partial read would make drift detection and PUT-the-whole-policy wrong.
import { ProviderError } from "../core/errors";
import type { GraphClient } from "./client";
import { graphRequestRaw, graphRequestUrl, type GraphRequestSpec } from "./request";

export interface ListSpec extends Omit<GraphRequestSpec, "method" | "body"> {
    /** safety stop against a server that never stops paging; default 1000 pages */
    maxPages?: number;
}

export async function graphListAll<T = any>(gc: GraphClient, spec: ListSpec): Promise<T[]> {
    const maxPages = spec.maxPages ?? 1000;
    const first = await graphRequestRaw<{ value?: T[]; "@odata.nextLink"?: string }>(gc, { ...spec, method: "GET" });
    const items: T[] = [...(first.body?.value ?? [])];
    let next = first.body?.["@odata.nextLink"];
    for (let pages = 1; next; pages++) {
        if (pages >= maxPages) throw new ProviderError("GRAPH_ERROR", `Graph GET ${spec.version}${spec.path}: more than ${maxPages} pages; stopping`);
        const page = await graphRequestUrl<{ value?: T[]; "@odata.nextLink"?: string }>(gc, next, spec);
        items.push(...(page.body?.value ?? []));
        next = page.body?.["@odata.nextLink"];
    }
    return items;
}
