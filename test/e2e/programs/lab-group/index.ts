// Imports the package by name, as a user's program would.
import * as pulumi from "@pulumi/pulumi";
import { LabGroup } from "pulumi-entra-kerberos/bin/test/fixtures/lab-group";

const config = new pulumi.Config();
const group = new LabGroup("group", {
    domain: config.require("domain"),
    name: config.require("groupName"),
    description: config.require("description"),
    directory: {
        urls: [config.require("ldapsUrl")],
        username: config.require("username"),
        password: { env: config.require("passwordEnv") },
        caCertificate: config.require("caCertificate"),
    },
});

export const dn = group.dn;
