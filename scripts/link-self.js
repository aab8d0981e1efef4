// Makes `require("pulumi-entra-kerberos/...")` resolve inside this checkout, exactly as it does for a
// user who installed the package: the serialized dynamic providers load their implementation by
// package path from the directory `pulumi` runs in. Runs on `npm install` / `npm ci` (prepare).
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-entra-kerberos");
if (!fs.existsSync(path.join(root, "node_modules"))) process.exit(0);
try {
    if (fs.readlinkSync(link) === "..") process.exit(0);
    fs.rmSync(link, { recursive: true, force: true });
} catch { /* absent or not a link */ }
fs.symlinkSync("..", link, "dir");
