// The lower bound the measured wall times are divided by: the critical path of the round trips no
// implementation can avoid, at the injected latency, with the given parallelism.
//
// One Kerberos server read must, on its LDAP connection, complete the TLS handshake (1 RTT with
// TLS 1.3, which the lab's DCs negotiate; the bench checks it on the wire), the bind (LDAP forbids
// sending anything else before its answer) and at least one search: 3 dependent LDAP round trips.
// Its cloud half (the publisher's Get) is one Graph request that can run beside them. The token
// and the tenant's audit-log query happen once per run and hide under the first reads' LDAP work.
// TCP connects cost nothing here (the proxy accepts on loopback at once), in the bound and in the
// measurement alike.
//
//   critical path of one read = max(3 × LDAP RTT, 1 × Graph latency)
//   lower bound (N reads, P at a time) = ceil(N / P) × critical path
//
// The engine-level bound uses the same formula over the N servers (the three policy reads are one
// Graph request each and fit beside them); the engine's own fixed cost is not in it, which is what
// the no-op stack measures.

export interface Latency {
    /** LDAP round trip (the proxy's one-way delay × 2) */
    ldapRttMs: number;
    /** per Graph request (the emulator's latency rule) */
    graphMs: number;
}

export const UNAVOIDABLE_LDAP_ROUND_TRIPS = 3;
export const UNAVOIDABLE_GRAPH_REQUESTS = 1;

export function readCriticalPathMs(l: Latency): number {
    return Math.max(UNAVOIDABLE_LDAP_ROUND_TRIPS * l.ldapRttMs, UNAVOIDABLE_GRAPH_REQUESTS * l.graphMs);
}

export function lowerBoundMs(n: number, parallelism: number, l: Latency): number {
    return Math.ceil(n / parallelism) * readCriticalPathMs(l);
}
