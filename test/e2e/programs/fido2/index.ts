// Imports the package by name, as a user's program would (compiled code: rebuild after changes).
// One Fido2SecurityKeyMethod whose arguments are the structured config key `method`.
import * as pulumi from "@pulumi/pulumi";
import { Fido2SecurityKeyMethod, type Fido2SecurityKeyMethodArgs } from "pulumi-entra-kerberos";
import { labGraphFromConfig } from "../lab-graph";

const config = new pulumi.Config();
const args = config.requireObject<Omit<Fido2SecurityKeyMethodArgs, "graph">>("method");
const method = new Fido2SecurityKeyMethod("fido2", { graph: labGraphFromConfig(config), ...args });

export const ownedGroupIds = method.ownedGroupIds;
