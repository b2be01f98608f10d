defmodule Shop.Accounts.Scope do
  @moduledoc """
  Test fixture: the scope `mix phx.gen.auth Accounts User users` writes.
  """

  alias Shop.Accounts.User

  defstruct user: nil

  @doc "The scope of `user` (nil for no user)."
  def for_user(%User{} = user), do: %__MODULE__{user: user}
  def for_user(nil), do: nil
end
