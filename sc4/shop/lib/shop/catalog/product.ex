defmodule Shop.Catalog.Product do
  @moduledoc """
  Product, stored in the `products` table.
  """

  use Ecto.Schema

  import Ecto.Changeset

  alias Shop.Accounts.Scope

  @typedoc "Product."
  @type t :: %__MODULE__{
          __meta__: Ecto.Schema.Metadata.t(),
          id: integer() | nil,
          title: String.t() | nil,
          user_id: integer() | nil,
          inserted_at: DateTime.t() | nil,
          updated_at: DateTime.t() | nil
        }

  # Cast from attrs, and required.
  @fields [
    :title
  ]

  schema "products" do
    field :title, :string
    field :user_id, :id

    timestamps(type: :utc_datetime)
  end

  @doc """
  A changeset for `product` from `attrs`, with the rules every product keeps; it
  belongs to the user of `user_scope`.
  """
  @spec changeset(t(), map(), %Scope{}) :: Ecto.Changeset.t()
  def changeset(product, attrs, user_scope) do
    product
    |> cast(attrs, @fields)
    |> validate_required(@fields)
    |> validate_length(:title, max: 255)
    |> put_change(:user_id, user_scope.user.id)
  end
end
