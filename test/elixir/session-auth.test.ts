// gen channel ties a new socket to phx.gen.auth's login session: what it reads
// of UserAuth (the accounts context through its aliases, the schema's name,
// the live_socket_id topic, the lookup's return shape), on the shapes
// phx.gen.auth 1.7 and 1.8 write and on ones they do not.
import { describe, expect, it } from "vitest";
import { sessionAuth } from "../../src/elixir/phoenix.js";

// phx.gen.auth 1.8 (`mix phx.gen.auth Accounts User users --live`), the parts read.
const V18 = `defmodule ShopWeb.UserAuth do
  use ShopWeb, :verified_routes

  alias Shop.Accounts
  alias Shop.Accounts.Scope

  def fetch_current_scope_for_user(conn, _opts) do
    with {token, conn} <- ensure_user_token(conn),
         {user, token_inserted_at} <- Accounts.get_user_by_session_token(token) do
      conn
      |> assign(:current_scope, Scope.for_user(user))
      |> maybe_reissue_user_session_token(user, token_inserted_at)
    else
      nil -> assign(conn, :current_scope, Scope.for_user(nil))
    end
  end

  defp put_token_in_session(conn, token) do
    conn
    |> put_session(:user_token, token)
    |> put_session(:live_socket_id, user_session_topic(token))
  end

  defp user_session_topic(token), do: "users_sessions:#{Base.url_encode64(token)}"
end
`;

// phx.gen.auth 1.7 (`mix phx.gen.auth Staff Admin admins`): the admin returned alone, the topic inline.
const V17 = `defmodule ShopWeb.AdminAuth do
  alias Shop.Staff

  def fetch_current_admin(conn, _opts) do
    {admin_token, conn} = ensure_admin_token(conn)
    admin = admin_token && Staff.get_admin_by_session_token(admin_token)
    assign(conn, :current_admin, admin)
  end

  defp put_token_in_session(conn, token) do
    conn
    |> put_session(:admin_token, token)
    |> put_session(:live_socket_id, "admins_sessions:#{Base.url_encode64(token)}")
  end
end
`;

describe("sessionAuth: phx.gen.auth's session, read from UserAuth", () => {
  it("reads phx.gen.auth 1.8: {user, inserted_at}, users_sessions, Shop.Accounts", () => {
    expect(sessionAuth(V18)).toEqual({ accounts: "Shop.Accounts", singular: "user", topicPrefix: "users_sessions", tuple: true });
  });

  it("reads phx.gen.auth 1.7 with another schema: the admin alone, admins_sessions, Shop.Staff", () => {
    expect(sessionAuth(V17)).toEqual({ accounts: "Shop.Staff", singular: "admin", topicPrefix: "admins_sessions", tuple: false });
  });

  it("follows `alias ..., as:` and leaves a full name as written", () => {
    expect(sessionAuth(V18.replace("alias Shop.Accounts\n", "alias Shop.Identity, as: Accounts\n"))?.accounts).toBe("Shop.Identity");
    expect(sessionAuth(V18.replace("Accounts.get_user_by_session_token", "Shop.Accounts.get_user_by_session_token"))?.accounts).toBe("Shop.Accounts");
  });

  it("is undefined where the session cannot be tied: no session lookup, no live_socket_id topic, unreadable source", () => {
    expect(sessionAuth(V18.replace(/Accounts\.get_user_by_session_token/g, "Accounts.get_user_by_api_token"))).toBeUndefined();
    expect(sessionAuth(V18.replace('"users_sessions:#{Base.url_encode64(token)}"', '"users_sessions:" <> token'))).toBeUndefined();
    expect(sessionAuth(`${V18}\ndefmodule Broken do\n  def x(, do: 1\nend\n`)).toBeUndefined();
  });
});
