// The root program (the main job): `pulumi up --stack <name>` builds the rollout from the stack's
// structured config `cloudKerberosTrust` (API.md). `npm run lab -- up` writes that config for the lab.
// The CloudKerberosTrust component that turns it into resources arrives with the rollout issue; until
// then the program reads and reports the configured forests and declares nothing.
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const trust = config.getObject<{ forests?: { name: string; domains?: { domain: string }[] }[] }>("cloudKerberosTrust");

export const configuredDomains = (trust?.forests ?? []).flatMap((f) => (f.domains ?? []).map((d) => `${f.name}/${d.domain}`));
