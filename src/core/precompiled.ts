// The built-in templates, precompiled by the build (scripts/build.mjs replaces
// this module in the bundle): handlebars specs keyed by src/core/hash.ts's
// templateKey of each template's source, so a template or partial is compiled at run time only
// when its text is not the built-in one (a team override, or src/ in tests).
export const precompiled: Record<string, unknown> | undefined = undefined;
