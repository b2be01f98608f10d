defmodule ShopWeb.ProductLive.Form do
  @moduledoc """
  Creates a product (`:new`) or edits one (`:edit`), validating
  as the user types, then returns to the list or to the product.
  """

  use ShopWeb, :live_view

  alias Shop.Catalog
  alias Shop.Catalog.Product

  @impl true
  def render(assigns) do
    ~H"""
    <Layouts.app flash={@flash} current_scope={@current_scope}>
      <.header>
        {@page_title}
      </.header>

      <.form for={@form} id="product-form" phx-change="validate" phx-submit="save">
        <.input field={@form[:title]} type="text" label="Title" />
        <footer>
          <.button phx-disable-with="Saving..." variant="primary">Save product</.button>
          <.button navigate={return_path(@return_to, @product)}>Cancel</.button>
        </footer>
      </.form>
    </Layouts.app>
    """
  end

  @impl true
  def mount(params, _session, socket) do
    {:ok,
     socket
     |> assign(:return_to, return_to(params["return_to"]))
     |> apply_action(socket.assigns.live_action, params)}
  end

  defp return_to("show"), do: "show"
  defp return_to(_), do: "index"

  defp apply_action(socket, :edit, %{"id" => id}) do
    scope = socket.assigns.current_scope
    product = Catalog.get_product!(scope, id)

    socket
    |> assign(:page_title, "Edit product")
    |> assign(:product, product)
    |> assign(:form, to_form(Catalog.change_product(scope, product)))
  end

  defp apply_action(socket, :new, _params) do
    scope = socket.assigns.current_scope
    product = %Product{user_id: scope.user.id}

    socket
    |> assign(:page_title, "New product")
    |> assign(:product, product)
    |> assign(:form, to_form(Catalog.change_product(scope, product)))
  end

  @impl true
  def handle_event("validate", %{"product" => params}, socket) do
    scope = socket.assigns.current_scope
    changeset = Catalog.change_product(scope, socket.assigns.product, params)
    {:noreply, assign(socket, form: to_form(changeset, action: :validate))}
  end

  def handle_event("save", %{"product" => params}, socket) do
    save(socket, socket.assigns.live_action, params)
  end

  defp save(socket, :edit, params) do
    scope = socket.assigns.current_scope

    case Catalog.update_product(scope, socket.assigns.product, params) do
      {:ok, product} ->
        {:noreply,
         socket
         |> put_flash(:info, "Product updated")
         |> push_navigate(to: return_path(socket.assigns.return_to, product))}

      {:error, %Ecto.Changeset{} = changeset} ->
        {:noreply, assign(socket, form: to_form(changeset))}
    end
  end

  defp save(socket, :new, params) do
    scope = socket.assigns.current_scope

    case Catalog.create_product(scope, params) do
      {:ok, product} ->
        {:noreply,
         socket
         |> put_flash(:info, "Product created")
         |> push_navigate(to: return_path(socket.assigns.return_to, product))}

      {:error, %Ecto.Changeset{} = changeset} ->
        {:noreply, assign(socket, form: to_form(changeset))}
    end
  end

  defp return_path("index", _product), do: ~p"/products"
  defp return_path("show", product), do: ~p"/products/#{product}"
end
