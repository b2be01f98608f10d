defmodule ShopWeb.ProductLive.Index do
  @moduledoc """
  Lists products (a stream, so the list is not kept in memory); a row
  opens its product, and each row can be edited or deleted.
  """

  use ShopWeb, :live_view

  alias Shop.Catalog
  alias Shop.Catalog.Product

  @changes [:created, :updated, :deleted]

  @impl true
  def render(assigns) do
    ~H"""
    <Layouts.app flash={@flash} current_scope={@current_scope}>
      <.header>
        Listing products
        <:actions>
          <.button variant="primary" navigate={~p"/products/new"}>
            <.icon name="hero-plus" /> New product
          </.button>
        </:actions>
      </.header>

      <.table
        id="products"
        rows={@streams.products}
        row_click={fn {_id, product} -> JS.navigate(~p"/products/#{product}") end}
      >
        <:col :let={{_id, product}} label="Title">{product.title}</:col>
        <:action :let={{_id, product}}>
          <div class="sr-only">
            <.link navigate={~p"/products/#{product}"}>Show</.link>
          </div>
          <.link navigate={~p"/products/#{product}/edit"}>Edit</.link>
        </:action>
        <:action :let={{id, product}}>
          <.link
            phx-click={JS.push("delete", value: %{id: product.id}) |> hide("##{id}")}
            data-confirm="Are you sure?"
          >
            Delete
          </.link>
        </:action>
      </.table>
    </Layouts.app>
    """
  end

  @impl true
  def mount(_params, _session, socket) do
    scope = socket.assigns.current_scope
    if connected?(socket), do: Catalog.subscribe_products(scope)

    {:ok,
     socket
     |> assign(:page_title, "Listing products")
     |> stream(:products, Catalog.list_products(scope))}
  end

  @impl true
  def handle_event("delete", %{"id" => id}, socket) do
    scope = socket.assigns.current_scope
    product = Catalog.get_product!(scope, id)
    {:ok, _} = Catalog.delete_product(scope, product)

    {:noreply, stream_delete(socket, :products, product)}
  end

  # A product of the scope changed, here or elsewhere: list them again.
  @impl true
  def handle_info({change, %Product{}}, socket) when change in @changes do
    products = Catalog.list_products(socket.assigns.current_scope)
    {:noreply, stream(socket, :products, products, reset: true)}
  end
end
