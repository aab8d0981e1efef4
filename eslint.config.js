// typescript-eslint's recommended rules over the TypeScript sources; compiled output and
// dependencies are ignored.
const tseslint = require("typescript-eslint");

module.exports = tseslint.config(
    { ignores: ["bin/**", "**/node_modules/**", ".lab/**", ".cache/**", "coverage/**", "docs/api/**", "**/*.js"] },
    ...tseslint.configs.recommended,
    {
        rules: {
            // dynamic providers receive untyped property bags from the engine
            "@typescript-eslint/no-explicit-any": "off",
            // the dynamic providers load their implementation with require() at call time, on purpose
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
        },
    },
);
