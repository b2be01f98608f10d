defmodule ShopWeb.ConnCase do
  @moduledoc """
  Test fixture: the ConnCase of a fresh `mix phx.new shop` (Phoenix 1.8)
  after `mix phx.gen.auth Accounts User users`.
  """

  use ExUnit.CaseTemplate

  using do
    quote do
      @endpoint ShopWeb.Endpoint

      use ShopWeb, :verified_routes

      import Plug.Conn
      import Phoenix.ConnTest
      import ShopWeb.ConnCase
    end
  end

  setup tags do
    Shop.DataCase.setup_sandbox(tags)
    {:ok, conn: Phoenix.ConnTest.build_conn()}
  end

  @doc "Setup helper that registers and logs in users."
  def register_and_log_in_user(%{conn: conn} = context) do
    user = Shop.AccountsFixtures.user_fixture()
    scope = Shop.Accounts.Scope.for_user(user)

    opts =
      context
      |> Map.take([:token_authenticated_at])
      |> Enum.into([])

    %{conn: log_in_user(conn, user, opts), user: user, scope: scope}
  end

  @doc "Logs the given `user` into the `conn`."
  def log_in_user(conn, user, _opts \\ []) do
    token = Shop.Accounts.generate_user_session_token(user)

    conn
    |> Phoenix.ConnTest.init_test_session(%{})
    |> Plug.Conn.put_session(:user_token, token)
  end
end
