// Five layers, run in order by scripts/test.sh. Each project can also run alone: npx jest --selectProjects unit
const common = {
  preset: "ts-jest",
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  modulePathIgnorePatterns: ["<rootDir>/bin/", "<rootDir>/examples/"],
  // hooks start DCs, emulators and key generation; on 2 busy cores 5 s is not enough for them
  testTimeout: 60_000,
};
module.exports = {
  cacheDirectory: "<rootDir>/.cache/jest",
  // testTimeout is a global option: inside `projects` (common, above) jest 30 ignores it
  testTimeout: common.testTimeout,
  // *.disruptive.test.ts (they stop a lab DC) run after every other file
  testSequencer: "<rootDir>/test/support/sequencer.js",
  projects: [
    { ...common, displayName: "unit", testMatch: ["<rootDir>/test/unit/**/*.test.ts"] },
    { ...common, displayName: "integration", testMatch: ["<rootDir>/test/integration/**/*.test.ts"] },
    { ...common, displayName: "contract", testMatch: ["<rootDir>/test/contract/**/*.test.ts"] },
    // with the lab's Graph replicas lagging (eventual consistency, test/support/lab.ts E2E_CONSISTENCY)
    {
      ...common, displayName: "e2e", testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
      globalSetup: "<rootDir>/test/e2e/global-setup.ts", globalTeardown: "<rootDir>/test/e2e/global-teardown.ts",
    },
    // faults, bad input, secrets and access (issue 8), on a second lab of its own (global-setup.ts)
    // so it may stop DCs and fault the emulator while other layers use the shared lab; serial
    {
      ...common, displayName: "reliability", testMatch: ["<rootDir>/test/reliability/**/*.test.ts"],
      globalSetup: "<rootDir>/test/reliability/global-setup.ts", globalTeardown: "<rootDir>/test/reliability/global-teardown.ts",
    },
  ],
};
