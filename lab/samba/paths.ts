// Where each DC's files live under the lab directory, and the LabForest record derived from a spec.
// Everything a DC writes stays under <labDir>/dcs/<name>; its snapshot sits beside it.
import * as path from "node:path";
import { baseDnOf, ForestSpec, LabForest } from "../layout";
import { adminPasswordEnv } from "../secrets";

export interface DcPaths {
    dir: string;            // <labDir>/dcs/<name>: the provisioned tree (samba-tool --targetdir)
    conf: string;           // <dir>/etc/smb.conf, written before provisioning
    logDir: string;
    sambaOut: string;       // stdout/stderr of the foreground samba
    launcherPid: string;    // PID of the samba master we started (also its process group)
    runDir: string;         // samba's own pid directory (samba.pid)
    tlsDir: string;
    provisioned: string;    // marker written last: its presence means provision + snapshot completed
    snapshot: string;       // <labDir>/dcs/<name>.snapshot: copy of the just-provisioned tree
}

export function dcPaths(labDir: string, name: string): DcPaths {
    // absolute: these paths go into smb.conf, which samba would read relative to its own cwd
    const dir = path.resolve(labDir, "dcs", name);
    const logDir = path.join(dir, "log");
    return {
        dir,
        conf: path.join(dir, "etc", "smb.conf"),
        logDir,
        sambaOut: path.join(logDir, "samba.out"),
        launcherPid: path.join(dir, "launcher.pid"),
        runDir: path.join(dir, "run"),
        tlsDir: path.join(dir, "tls"),
        provisioned: path.join(dir, "provisioned.json"),
        snapshot: `${dir}.snapshot`,
    };
}

/** The DC's host name inside its domain (provision --host-name). */
export const DC_HOST = "dc1";

export function labForestOf(spec: ForestSpec): LabForest {
    const baseDn = baseDnOf(spec.domain);
    return {
        name: spec.name,
        domain: spec.domain,
        ip: spec.ip,
        realm: spec.domain.toUpperCase(),
        baseDn,
        dcHostName: `${DC_HOST}.${spec.domain}`,
        ldapsUrl: `ldaps://${spec.ip}:636`,
        adminUpn: `Administrator@${spec.domain}`,
        adminDn: `CN=Administrator,CN=Users,${baseDn}`,
        adminPasswordEnv: adminPasswordEnv(spec.name),
    };
}

/**
 * Rejects specs that would make a DC bind outside 127.0.0.0/8 (the lab must never listen or talk
 * elsewhere), names that are unsafe as directory names, and NetBIOS names Samba would refuse.
 */
export function checkSpec(spec: ForestSpec): void {
    const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(spec.ip);
    if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new Error(`forest ${spec.name}: ip ${spec.ip} is not a 127.0.0.0/8 address`);
    if (spec.ip === "127.0.0.1") throw new Error(`forest ${spec.name}: 127.0.0.1 is reserved for the emulator; give each DC its own 127.0.0.N`);
    if (!/^[a-z][a-z0-9-]{0,14}$/.test(spec.name)) throw new Error(`forest name ${JSON.stringify(spec.name)}: use 1-15 of [a-z0-9-], starting with a letter (it is the NetBIOS domain)`);
    if (!/^([a-z0-9-]+\.)+[a-z0-9-]+$/.test(spec.domain)) throw new Error(`forest ${spec.name}: bad domain ${JSON.stringify(spec.domain)}`);
}
