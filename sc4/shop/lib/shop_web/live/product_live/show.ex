defmodule ShopWeb.ProductLive.Show do
  @moduledoc """
  Shows one product.
  """

  use ShopWeb, :live_view

  alias Shop.Catalog
  alias Shop.Catalog.Product

  @impl true
  def render(assigns) do
    ~H"""
    <Layouts.app flash={@flash} current_scope={@current_scope}>
      <.header>
        Product {@product.id}
        <:actions>
          <.button navigate={~p"/products"}>
            <.icon name="hero-arrow-left" />
          </.button>
          <.button variant="primary" navigate={~p"/products/#{@product}/edit?return_to=show"}>
            <.icon name="hero-pencil-square" /> Edit product
          </.button>
        </:actions>
      </.header>

      <.list>
        <:item title="Title">{@product.title}</:item>
      </.list>
    </Layouts.app>
    """
  end

  @impl true
  def mount(%{"id" => id}, _session, socket) do
    scope = socket.assigns.current_scope
    if connected?(socket), do: Catalog.subscribe_products(scope)

    {:ok,
     socket
     |> assign(:page_title, "Show product")
     |> assign(:product, Catalog.get_product!(scope, id))}
  end

  # Changes in the scope: follow an update of this product, leave when it is deleted.
  @impl true
  def handle_info({:updated, %Product{} = product}, socket) do
    if product.id == socket.assigns.product.id do
      {:noreply, assign(socket, :product, product)}
    else
      {:noreply, socket}
    end
  end

  def handle_info({:deleted, %Product{} = product}, socket) do
    if product.id == socket.assigns.product.id do
      {:noreply,
       socket
       |> put_flash(:error, "This product was deleted")
       |> push_navigate(to: ~p"/products")}
    else
      {:noreply, socket}
    end
  end

  def handle_info({:created, %Product{}}, socket), do: {:noreply, socket}
end
