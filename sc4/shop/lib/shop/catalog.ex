defmodule Shop.Catalog do
  @moduledoc """
  The Catalog context: the functions the rest of the app uses to read
  and change products.
  """

  alias Shop.Accounts.Scope
  alias Shop.Catalog.Product
  alias Shop.Repo

  @typedoc "The result of changing a product."
  @type product_result :: {:ok, Product.t()} | {:error, Ecto.Changeset.t()}

  @doc """
  Subscribes the caller to changes of the products in `scope`.

  The messages are `{:created, product}`, `{:updated, product}` and
  `{:deleted, product}`, each carrying a `%Product{}`.
  """
  @spec subscribe_products(%Scope{}) :: :ok | {:error, term()}
  def subscribe_products(%Scope{} = scope) do
    Phoenix.PubSub.subscribe(Shop.PubSub, product_topic(scope))
  end

  defp broadcast_product(%Scope{} = scope, message) do
    Phoenix.PubSub.broadcast(Shop.PubSub, product_topic(scope), message)
  end

  defp product_topic(scope), do: "user:#{scope.user.id}:products"

  @doc "Returns the products in `scope`."
  @spec list_products(%Scope{}) :: [Product.t()]
  def list_products(%Scope{} = scope) do
    Repo.all_by(Product, user_id: scope.user.id)
  end

  @doc "Gets the product with `id` in `scope`; raises `Ecto.NoResultsError` when there is none."
  @spec get_product!(%Scope{}, integer()) :: Product.t()
  def get_product!(%Scope{} = scope, id) do
    Repo.get_by!(Product, id: id, user_id: scope.user.id)
  end

  @doc "Gets the product with `id` in `scope`, or `nil`."
  @spec get_product(%Scope{}, integer()) :: Product.t() | nil
  def get_product(%Scope{} = scope, id) do
    Repo.get_by(Product, id: id, user_id: scope.user.id)
  end

  @doc "Creates a product in `scope` from `attrs`, and tells the scope's subscribers."
  @spec create_product(%Scope{}, map()) :: product_result()
  def create_product(%Scope{} = scope, attrs) do
    with {:ok, %Product{} = product} <-
           %Product{}
           |> Product.changeset(attrs, scope)
           |> Repo.insert() do
      broadcast_product(scope, {:created, product})
      {:ok, product}
    end
  end

  @doc """
  Updates `product` with `attrs`, and tells the scope's subscribers.

  Raises `MatchError` when `product` is not in `scope`.
  """
  @spec update_product(%Scope{}, Product.t(), map()) :: product_result()
  def update_product(%Scope{} = scope, %Product{} = product, attrs) do
    true = product.user_id == scope.user.id

    with {:ok, %Product{} = product} <-
           product
           |> Product.changeset(attrs, scope)
           |> Repo.update() do
      broadcast_product(scope, {:updated, product})
      {:ok, product}
    end
  end

  @doc """
  Deletes `product`, and tells the scope's subscribers.

  Raises `MatchError` when `product` is not in `scope`.
  """
  @spec delete_product(%Scope{}, Product.t()) :: product_result()
  def delete_product(%Scope{} = scope, %Product{} = product) do
    true = product.user_id == scope.user.id

    with {:ok, %Product{} = product} <- Repo.delete(product) do
      broadcast_product(scope, {:deleted, product})
      {:ok, product}
    end
  end

  @doc """
  A changeset for `product` with `attrs`, to track changes (in a form, for example).

  Raises `MatchError` when `product` is not in `scope`.
  """
  @spec change_product(%Scope{}, Product.t(), map()) :: Ecto.Changeset.t()
  def change_product(%Scope{} = scope, %Product{} = product, attrs \\ %{}) do
    true = product.user_id == scope.user.id

    Product.changeset(product, attrs, scope)
  end
end
