// The emulated tenant's directory, in memory, optionally persisted as one JSON file that is
// rewritten (atomically, mode 600) after every change and loaded on start. Entities are kept in
// Graph's own JSON shapes; Intune policies additionally hold their settings and assignments inline.
import * as fs from "node:fs";
import * as path from "node:path";
import { currentCatalog } from "./catalog";
import type { ReplicaLag } from "./consistency";
import { newGuid, nowIso } from "./ids";

export interface TenantData {
    organization: any[];
    groups: any[];
    users: any[];
    servicePrincipals: any[];
    /** conditional access policies (v1.0 identity/conditionalAccess/policies) */
    policies: any[];
    /** settings catalog policies; each holds `settings` [{id, settingInstance}] and `assignments` */
    configurationPolicies: any[];
    /** settings catalog definitions (configurationSettings) */
    configurationSettings: any[];
    /** custom OMA-URI profiles; `omaSettings` hold the plain values, masked on the wire */
    deviceConfigurations: any[];
    /** v1.0 policies/authenticationMethodsPolicy/authenticationMethodConfigurations (the lab holds only "Fido2") */
    authenticationMethodConfigurations: any[];
    directoryAudits: any[];
    /**
     * Group membership: one entity per group, `{ id: <group id>, members: [<user or group id>] }`.
     * Graph exposes it only as navigations, never as a group property (graph-v1.0-csdl.xml, EntityType
     * group: NavigationProperty members and transitiveMembers, Collection(graph.directoryObject)), so
     * it is kept apart from the group entities.
     */
    groupMembers: any[];
}

export type CollectionName = keyof TenantData;
export const COLLECTIONS: CollectionName[] = [
    "organization", "groups", "users", "servicePrincipals", "policies",
    "configurationPolicies", "configurationSettings", "deviceConfigurations", "authenticationMethodConfigurations", "directoryAudits",
    "groupMembers",
];

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

export class TenantState {
    private data: TenantData;
    /** eventual consistency (consistency.ts): told of every Graph write, consulted by replica reads */
    lag?: ReplicaLag;

    constructor(readonly tenantId: string, private readonly seed: () => TenantData, private readonly stateFile?: string) {
        this.data = this.loadFile() ?? seed();
        this.persist();
    }

    // Read access to each collection (mutate through the methods below so changes are persisted).
    get organization(): readonly any[] { return this.data.organization; }
    get groups(): readonly any[] { return this.data.groups; }
    get users(): readonly any[] { return this.data.users; }
    get servicePrincipals(): readonly any[] { return this.data.servicePrincipals; }
    get policies(): readonly any[] { return this.data.policies; }
    get configurationPolicies(): readonly any[] { return this.data.configurationPolicies; }
    get configurationSettings(): readonly any[] { return this.data.configurationSettings; }
    get deviceConfigurations(): readonly any[] { return this.data.deviceConfigurations; }
    get directoryAudits(): readonly any[] { return this.data.directoryAudits; }

    list(coll: CollectionName): readonly any[] {
        return this.data[coll];
    }

    /** Case-insensitive id match (Graph ids are GUIDs; setting definition ids are lower-case strings). */
    get(coll: CollectionName, id: string): any | undefined {
        const lc = id.toLowerCase();
        return this.data[coll].find((e) => typeof e.id === "string" && e.id.toLowerCase() === lc);
    }

    insert<T extends { id: string }>(coll: CollectionName, entity: T): T {
        if (this.get(coll, entity.id)) throw new Error(`${coll}: id ${entity.id} already exists`);
        this.lag?.recordWrite(coll, entity.id, undefined);
        this.data[coll].push(entity);
        this.persist();
        return entity;
    }

    /** Applies `mutate` to the stored entity and persists; returns it, or undefined when unknown. */
    update(coll: CollectionName, id: string, mutate: (e: any) => void): any | undefined {
        const e = this.get(coll, id);
        if (!e) return undefined;
        if (this.lag?.recording) this.lag.recordWrite(coll, e.id, clone(e));
        mutate(e);
        this.persist();
        return e;
    }

    remove(coll: CollectionName, id: string): boolean {
        const e = this.get(coll, id);
        if (!e) return false;
        if (this.lag?.recording) this.lag.recordWrite(coll, e.id, clone(e));
        this.data[coll] = this.data[coll].filter((x) => x !== e);
        this.persist();
        return true;
    }

    /**
     * The tenant as one Graph read sees it: the same methods over data where a lagging replica
     * serves older versions (consistency.ts, after hashicorp/terraform-provider-azuread's reads of an
     * eventually consistent API). Built per read; it is never written through.
     */
    replicaRead(): TenantState {
        if (!this.lag?.recording) return this;
        const view = Object.create(this) as TenantState;
        const data = {} as TenantData;
        for (const c of COLLECTIONS) data[c] = this.lag.replicaView(c, this.data[c]);
        view.data = data;
        view.persist = () => { throw new Error("a replica read cannot write"); };
        return view;
    }

    // --- helpers for tests, the seed and the admin API -------------------------------------------

    addGroup(g: { displayName: string; id?: string; description?: string; securityEnabled?: boolean; onPremisesSecurityIdentifier?: string }): any {
        return this.insert("groups", groupEntity(g));
    }

    addUser(u: { displayName: string; userPrincipalName: string; id?: string }): any {
        return this.insert("users", userEntity(u));
    }

    addServicePrincipal(sp: { displayName: string; appId?: string; id?: string; servicePrincipalNames?: string[] }): any {
        return this.insert("servicePrincipals", servicePrincipalEntity(sp));
    }

    /** Adds a settings catalog definition (e.g. the unconfirmed HostToRealm one), replacing one with the same id. */
    addSettingDefinition(def: any): any {
        if (typeof def?.id !== "string" || typeof def["@odata.type"] !== "string") throw new Error("setting definition needs id and @odata.type");
        this.data.configurationSettings = this.data.configurationSettings.filter((d) => d.id !== def.id);
        this.data.configurationSettings.push(clone(def));
        this.persist();
        return def;
    }

    addConditionalAccessPolicy(p: any): any {
        return this.insert("policies", { id: newGuid(), createdDateTime: nowIso(), modifiedDateTime: null, ...clone(p) });
    }

    groupsNamed(displayName: string): any[] {
        const lc = displayName.toLowerCase();
        return this.data.groups.filter((g) => String(g.displayName).toLowerCase() === lc);
    }

    /** Merges extra entities into the collections (admin API `seed`); entities with an existing id replace it. */
    merge(partial: Partial<TenantData>): void {
        for (const coll of COLLECTIONS) {
            const add = partial[coll];
            if (!Array.isArray(add)) continue;
            for (const e of add) {
                if (typeof e?.id !== "string") throw new Error(`${coll}: every entity needs a string id`);
                this.data[coll] = this.data[coll].filter((x) => x.id !== e.id);
                this.data[coll].push(clone(e));
            }
        }
        this.persist();
    }

    /** Back to the seed (lab `reset`). */
    reset(): void {
        this.data = this.seed();
        this.persist();
    }

    /** A deep copy of everything (no secrets live in tenant state: apps are held by the emulator). */
    dump(): TenantData {
        return clone(this.data);
    }

    private loadFile(): TenantData | undefined {
        if (!this.stateFile || !fs.existsSync(this.stateFile)) return undefined;
        const parsed = JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
        if (parsed?.tenantId !== this.tenantId) {
            throw new Error(`state file ${this.stateFile} belongs to tenant ${parsed?.tenantId}, not ${this.tenantId}`);
        }
        const data = {} as TenantData;
        // a collection the file lacks was added after an older lab wrote it: it starts as seeded,
        // as a real tenant has, e.g., its FIDO2 method configuration from the first day (the fido2
        // configuration is a member of the tenant's one authenticationMethodsPolicy, v1.0 CSDL;
        // docs/lab.md lists the route)
        let seeded: TenantData | undefined;
        for (const c of COLLECTIONS) data[c] = Array.isArray(parsed.data?.[c]) ? parsed.data[c] : (seeded ??= this.seed())[c];
        data.configurationSettings = currentCatalog(data.configurationSettings);
        return data;
    }

    private persist(): void {
        if (!this.stateFile) return;
        fs.mkdirSync(path.dirname(this.stateFile), { recursive: true });
        const tmp = `${this.stateFile}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, JSON.stringify({ version: 1, tenantId: this.tenantId, data: this.data }, null, 1), { mode: 0o600 });
        fs.renameSync(tmp, this.stateFile);
    }
}

export function groupEntity(g: { displayName: string; id?: string; description?: string; securityEnabled?: boolean; onPremisesSecurityIdentifier?: string }): any {
    return {
        id: g.id ?? newGuid(),
        displayName: g.displayName,
        description: g.description ?? null,
        mailNickname: g.displayName.replace(/[^A-Za-z0-9]/g, "").toLowerCase() || "group",
        mailEnabled: false,
        securityEnabled: g.securityEnabled ?? true,
        groupTypes: [],
        createdDateTime: nowIso(),
        securityIdentifier: `S-1-12-1-${Math.floor(Math.random() * 2 ** 31)}-${Math.floor(Math.random() * 2 ** 31)}`,
        onPremisesSecurityIdentifier: g.onPremisesSecurityIdentifier ?? null,
        onPremisesSyncEnabled: g.onPremisesSecurityIdentifier ? true : null,
        visibility: null,
    };
}

export function userEntity(u: { displayName: string; userPrincipalName: string; id?: string }): any {
    const [given, ...rest] = u.displayName.split(" ");
    return {
        id: u.id ?? newGuid(),
        displayName: u.displayName,
        givenName: given ?? null,
        surname: rest.join(" ") || null,
        userPrincipalName: u.userPrincipalName,
        mail: u.userPrincipalName,
        accountEnabled: true,
        businessPhones: [],
        jobTitle: null,
        mobilePhone: null,
        officeLocation: null,
        preferredLanguage: null,
    };
}

export function servicePrincipalEntity(sp: { displayName: string; appId?: string; id?: string; servicePrincipalNames?: string[] }): any {
    const appId = sp.appId ?? newGuid();
    return {
        id: sp.id ?? newGuid(),
        appId,
        displayName: sp.displayName,
        appDisplayName: sp.displayName,
        accountEnabled: true,
        servicePrincipalType: "Application",
        servicePrincipalNames: sp.servicePrincipalNames ?? [appId],
        appOwnerOrganizationId: null,
        tags: [],
        createdDateTime: nowIso(),
    };
}
