// The DC's smb.conf. It is written BEFORE provisioning: samba-tool keeps an existing
// <targetdir>/etc/smb.conf as it is, which is the only way our options survive provision.
import { LabForest } from "../layout";
import { DC_HOST, DcPaths } from "./paths";

export function renderSmbConf(forest: LabForest, p: DcPaths): string {
    const d = p.dir;
    return `# Written by the entra-kerberos lab (lab/samba/smbconf.ts). One lab DC; everything it writes is under ${d}.
[global]
	netbios name = ${DC_HOST.toUpperCase()}
	workgroup = ${forest.name.toUpperCase()}
	realm = ${forest.realm}
	server role = active directory domain controller

	# Per-instance paths. --targetdir sets private/lock/state/cache/binddns, but NOT the pid directory:
	# a shared one makes a second DC exit with "samba is already running". The socket dirs clash
	# silently when shared, so they are per instance too.
	private dir = ${d}/private
	lock directory = ${d}
	state directory = ${d}/state
	cache directory = ${d}/cache
	binddns dir = ${d}/bind-dns
	pid directory = ${p.runDir}
	ncalrpc dir = ${p.runDir}/ncalrpc
	winbindd socket directory = ${p.runDir}/winbindd
	ntp signd socket directory = ${p.runDir}/ntp_signd
	log file = ${p.logDir}/log.%m
	max log size = 10000

	# This loopback address only. LDAP ports are hardcoded (389/636/3268/3269), hence one IP per DC.
	# The /8 mask is required: a bare IP or /32 makes Samba listen on nothing, without an error.
	interfaces = ${forest.ip}/8
	bind interfaces only = yes

	# LDAP is all the lab needs (password sets included); the full service set would run
	# dnsupdate/kcc/drepl, which try to reach DNS servers and other DCs.
	server services = ldap

	# LDAPS with a certificate from the lab CA (an existing key also spares Samba generating RSA-4096).
	tls enabled = yes
	tls keyfile = ${p.tlsDir}/key.pem
	tls certfile = ${p.tlsDir}/cert.pem
	tls cafile = ${p.tlsDir}/ca.pem

# provision refuses a DC smb.conf without these shares
[sysvol]
	path = ${d}/state/sysvol
	read only = No

[netlogon]
	path = ${d}/state/sysvol/${forest.domain}/scripts
	read only = No
`;
}
