import { afterAll, beforeAll } from "vitest";
import { loadReader } from "../src/elixir/reader.js";
import { removeTempDirs } from "./helpers.js";

afterAll(() => removeTempDirs());

// Patchers read Elixir through the tree-sitter reader, which loads once (async).
beforeAll(() => loadReader());
