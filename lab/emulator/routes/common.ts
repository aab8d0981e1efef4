// Shared pieces of the Graph route handlers: list and entity envelopes, id checks, body access.
import { applyFilter, applyOrder, checkQueryOptions, page, selectProps, type QueryOptionsSpec } from "../odata";
import { badId, badRequest, notFound } from "../errors";
import { isGuid } from "../ids";
import { json } from "../http";
import type { RouteContext } from "../router";
import type { EmulatorResponse } from "../types";

export function metadata(ctx: RouteContext, version: "v1.0" | "beta", fragment: string): string {
    return `${ctx.req.origin}/${version}/$metadata#${fragment}`;
}

/** A filtered, ordered, paged collection response with @odata.context and @odata.nextLink. */
export function listResponse(ctx: RouteContext, version: "v1.0" | "beta", contextFragment: string, items: readonly any[],
    spec: QueryOptionsSpec, render: (e: any) => any = (e) => e): EmulatorResponse {
    checkQueryOptions(ctx.req, spec, true);
    const wantCount = ctx.req.query.get("$count") === "true";
    if (wantCount && spec.countNeedsConsistency && String(ctx.req.headers.consistencylevel ?? "").toLowerCase() !== "eventual") {
        throw badRequest("$count is only supported with the ConsistencyLevel: eventual header on this resource.");
    }
    const filtered = applyOrder(applyFilter(items, ctx.req, spec), ctx.req, spec);
    const p = page(filtered, ctx.req, spec);
    const body: Record<string, unknown> = { "@odata.context": metadata(ctx, version, contextFragment) };
    if (wantCount) body["@odata.count"] = p.count;
    if (p.nextLink) body["@odata.nextLink"] = p.nextLink;
    body.value = p.value.map((e) => selectProps(render(e), ctx.req));
    return json(200, body);
}

export function entityResponse(ctx: RouteContext, version: "v1.0" | "beta", contextFragment: string, entity: any,
    status = 200, spec: Pick<QueryOptionsSpec, "resource" | "select" | "expand"> = { resource: "entity" }): EmulatorResponse {
    checkQueryOptions(ctx.req, { ...spec, select: spec.select ?? true }, false);
    return json(status, { "@odata.context": metadata(ctx, version, `${contextFragment}/$entity`), ...selectProps(entity, ctx.req) });
}

/** Looks up an entity by GUID id: 400 for a malformed id, 404 when unknown. */
export function mustGet(ctx: RouteContext, coll: Parameters<RouteContext["state"]["get"]>[0], id: string): any {
    if (!isGuid(id)) throw badId(id);
    const e = ctx.state.get(coll, id);
    if (!e) throw notFound(`Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    return e;
}

export function bodyObject(ctx: RouteContext): Record<string, any> {
    const b = ctx.req.body;
    if (typeof b === "string") throw badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
    if (typeof b !== "object" || b === null || Array.isArray(b) || Buffer.isBuffer(b)) {
        throw badRequest("Empty Payload. JSON content expected.");
    }
    return b;
}

export const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));
