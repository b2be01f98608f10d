defmodule ShopWeb.Layouts do
  @moduledoc """
  Test fixture: the layouts of a fresh `mix phx.new shop` (Phoenix 1.8),
  with the attrs and slots of `app/1` as it declares them.
  """
  use ShopWeb, :html

  embed_templates "layouts/*"

  attr :flash, :map, required: true
  attr :current_scope, :map, default: nil
  slot :inner_block, required: true

  def app(assigns) do
    ~H"""
    <main>{render_slot(@inner_block)}</main>
    <.flash_group flash={@flash} />
    """
  end

  attr :flash, :map, required: true
  attr :id, :string, default: "flash-group"

  def flash_group(assigns) do
    ~H"""
    <div id={@id}><.flash kind={:info} flash={@flash} /></div>
    """
  end
end
