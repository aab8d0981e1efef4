// One TLS context per trust list per process. Every tls.connect given `ca` builds a fresh
// SecureContext from it, and with Node's ~140 public roots in the list (graph/tls.ts keeps them and
// appends a private CA) that costs about 40 ms of CPU, once per connection: more than everything
// else a Kerberos server read does. A context holds only public certificates and settings, so one
// per distinct list is shared by every connection of the process; each connection still verifies
// its peer (rejectUnauthorized, servername) on its own.
import { createHash } from "node:crypto";
import { createSecureContext, type SecureContext, type SecureVersion } from "node:tls";
import { SharedCache } from "./shared-cache";

const contexts = new SharedCache<SecureContext>({ ttlMs: 60 * 60_000, maxEntries: 32 });

/** The shared context trusting exactly `ca` (PEM texts); `minVersion` is part of the context. */
export function secureContextFor(ca: string[], minVersion?: SecureVersion): SecureContext {
    // certificates are public: a plain digest is a fine key
    const key = createHash("sha256").update(`${minVersion ?? ""}\n${ca.join("\n")}`).digest("base64url");
    return contexts.get(key, () => createSecureContext({ ca, ...(minVersion ? { minVersion } : {}) }));
}
