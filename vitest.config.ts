import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Integration tests start real BEAMs; two cores, so two workers.
    maxWorkers: 2,
    // Generous: a cold run builds the real deps (minutes) before the first gate of a kind passes; the deps cache makes later ones fast.
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    globalSetup: ["test/global-setup.ts"],
    setupFiles: ["test/setup.ts"],
  },
});
