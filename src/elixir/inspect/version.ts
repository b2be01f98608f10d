// The version of `gen inspect --json`'s document: bumped when a field is
// removed or changes meaning; new fields keep it. Apart from schema.ts so that
// reading a project does not load zod (only --json validates).
export const SCHEMA_VERSION = 1;
