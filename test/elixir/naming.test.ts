import { execa } from "execa";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appNameProblem, camelize, moduleNameProblem, modulePath, underscore } from "../../src/elixir/naming.js";

/** Ask real Elixir for Macro.camelize/underscore of many inputs at once. */
async function elixirMacro(fn: "camelize" | "underscore", inputs: string[]): Promise<string[]> {
  const script = `
    IO.read(:stdio, :eof)
    |> String.split("\\n", trim: true)
    |> Enum.each(fn hex -> IO.puts("=" <> Base.encode16(Macro.${fn}(Base.decode16!(hex)))) end)
  `;
  const input = inputs.map((s) => Buffer.from(s, "utf8").toString("hex").toUpperCase()).join("\n");
  const r = await execa("elixir", ["-e", script], { input });
  return r.stdout
    .split("\n")
    .map((h) => Buffer.from(h.slice(1), "hex").toString("utf8"));
}

const tricky = [
  "my_app", "MyApp", "HTTPServer", "MyApp.HTTPServer", "rate_limiter", "foo_bar/baz_qux", "Foo1Bar", "foo__bar",
  "_leading", "trailing_", "a1_b2", "ABC", "AbC.DeF", "My_App", "foo_1", "HTTP2Server", "I18n", "x", "X.Y.Z", "SSLSocket",
];

describe("camelize/underscore follow Elixir's Macro", () => {
  it("agree with Elixir on hand-picked tricky names", async () => {
    expect(tricky.map(camelize)).toEqual(await elixirMacro("camelize", tricky));
    expect(tricky.map(underscore)).toEqual(await elixirMacro("underscore", tricky));
  });

  it("agree with Elixir on generated names (property)", async () => {
    const names = fc.sample(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./]{0,15}$/), { numRuns: 300, seed: 42 });
    expect(names.map(camelize)).toEqual(await elixirMacro("camelize", names));
    expect(names.map(underscore)).toEqual(await elixirMacro("underscore", names));
  });
});

describe("name rules", () => {
  it("accepts valid app names and refuses invalid ones with the rule", () => {
    expect(appNameProblem("my_app")).toBeNull();
    expect(appNameProblem("app2")).toBeNull();
    expect(appNameProblem("MyApp")).toMatch(/lowercase letter/);
    expect(appNameProblem("my-app")).toMatch(/underscores/);
    expect(appNameProblem("1app")).toMatch(/start with a lowercase letter/);
    expect(appNameProblem("end")).toMatch(/reserved word/);
    expect(appNameProblem("logger")).toMatch(/shipped with Elixir\/OTP/);
  });

  it("accepts valid module names and refuses invalid ones with the rule", () => {
    expect(moduleNameProblem("MyApp")).toBeNull();
    expect(moduleNameProblem("MyApp.RateLimiter")).toBeNull();
    expect(moduleNameProblem("myApp")).toMatch(/uppercase letter/);
    expect(moduleNameProblem("My-App")).toMatch(/letters, digits and underscores/);
    expect(moduleNameProblem("MyApp.")).toMatch(/segment/);
    expect(moduleNameProblem("String")).toMatch(/module of Elixir itself/);
    expect(moduleNameProblem("Elixir.Foo")).toMatch(/Elixir\./);
  });
});

describe("modulePath: the app's modules in the app's folder, as mix new and phx.new lay it out", () => {
  it("names the folder after the app, not the module, where the two differ (digits after an underscore)", () => {
    const shop = { app: "shop_2", module: "Shop2" };
    expect(modulePath(shop, "Shop2.Catalog.Product")).toBe("shop_2/catalog/product");
    expect(modulePath(shop, "Shop2Web.Presence")).toBe("shop_2_web/presence");
    expect(modulePath(shop, "Shop2")).toBe("shop_2");
    // Not the app's: by the module's name.
    expect(modulePath(shop, "Shop2Admin.Job")).toBe("shop2_admin/job");
    expect(modulePath(shop, "Other.Thing")).toBe("other/thing");
    // An umbrella's web app is its own app.
    expect(modulePath({ app: "mkt_2_web", module: "Mkt2Web" }, "Mkt2Web.RoomChannel")).toBe("mkt_2_web/room_channel");
  });

  it("for any valid app name, a module under the app's module is in lib/<app>/", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9_]{0,30}$/), (app) => {
        fc.pre(appNameProblem(app) === null);
        const module = camelize(app);
        expect(modulePath({ app, module }, `${module}.Orders.Sweeper`)).toBe(`${app}/orders/sweeper`);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
