import { describeSecretRef, isSecretRef, resolveSecret } from "../../../provider/core/secrets";
import { ProviderError } from "../../../provider/core/errors";

test("env and config references resolve", () => {
    expect(resolveSecret({ env: "A" }, undefined, { env: { A: "va" } })).toBe("va");
    expect(resolveSecret({ config: "k" }, { k: "vk" })).toBe("vk");
});

test("a missing value names the reference and the input, never a value", () => {
    try {
        resolveSecret({ config: "corp:bindPassword" }, { other: "secret-value" }, { input: "directory.password" });
        throw new Error("no error");
    } catch (e) {
        expect(e).toBeInstanceOf(ProviderError);
        expect((e as ProviderError).code).toBe("SECRET_NOT_FOUND");
        expect((e as ProviderError).input).toBe("directory.password");
        expect((e as Error).message).toBe('secret stack config key "corp:bindPassword" (directory.password) is not set; set it with `pulumi config set --secret`');
        expect((e as Error).message).not.toContain("secret-value");
    }
    expect(() => resolveSecret({ env: "EMPTY" }, undefined, { env: { EMPTY: "" } })).toThrow(/environment variable "EMPTY" is not set/);
});

test("a plain value where a reference belongs is refused", () => {
    expect(() => resolveSecret("hunter2" as any, undefined, { input: "graph.credential.clientSecret" })).toThrow(/must be a reference/);
    expect(isSecretRef({ env: "X", config: "y" })).toBe(false);
    expect(describeSecretRef({ env: "X" })).toBe('environment variable "X"');
});
