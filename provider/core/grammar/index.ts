// The input grammar (README.md in this folder): one rule per kind of value, for every `check`.
export * from "./dn";
export * from "./dns";
export * from "./ids";
export * from "./keys";
export * from "./numbers";
export * from "./pem";
export * from "./secret-ref";
export * from "./text";
export * from "./url";
