defmodule Shop.CatalogTest do
  use Shop.DataCase, async: true

  alias Shop.Catalog

  describe "products" do
    alias Shop.Catalog.Product

    import Shop.AccountsFixtures, only: [user_scope_fixture: 0]
    import Shop.CatalogFixtures

    @invalid_attrs %{
      title: nil
    }

    test "list_products/1 returns the products of the scope only" do
      scope = user_scope_fixture()
      other_scope = user_scope_fixture()
      product = product_fixture(scope)
      other_product = product_fixture(other_scope)
      assert Catalog.list_products(scope) == [product]
      assert Catalog.list_products(other_scope) == [other_product]
    end

    test "get_product!/2 and get_product/2 find the product in its scope only" do
      scope = user_scope_fixture()
      other_scope = user_scope_fixture()
      product = product_fixture(scope)
      assert Catalog.get_product!(scope, product.id) == product
      assert Catalog.get_product(scope, product.id) == product
      assert Catalog.get_product(other_scope, product.id) == nil
      assert Catalog.get_product(scope, -1) == nil
      assert_raise Ecto.NoResultsError, fn -> Catalog.get_product!(other_scope, product.id) end
    end

    test "create_product/2 with valid data creates a product in the scope" do
      valid_attrs = %{
        title: "some title"
      }

      scope = user_scope_fixture()
      assert {:ok, %Product{} = product} = Catalog.create_product(scope, valid_attrs)
      assert product.title == "some title"
      assert product.user_id == scope.user.id
    end

    test "create_product/2 with invalid data returns an error changeset" do
      scope = user_scope_fixture()
      assert {:error, %Ecto.Changeset{}} = Catalog.create_product(scope, @invalid_attrs)
    end

    test "subscribers hear of the changes in their scope only" do
      scope = user_scope_fixture()
      other_scope = user_scope_fixture()
      :ok = Catalog.subscribe_products(scope)

      _ = product_fixture(other_scope)
      refute_received {:created, _}

      product = product_fixture(scope)
      assert_receive {:created, ^product}
      {:ok, product} = Catalog.update_product(scope, product, %{})
      assert_receive {:updated, ^product}
      {:ok, _} = Catalog.delete_product(scope, product)
      assert_receive {:deleted, %Product{}}
    end

    test "update_product/3 with valid data updates the product" do
      scope = user_scope_fixture()
      product = product_fixture(scope)

      update_attrs = %{
        title: "some updated title"
      }

      assert {:ok, %Product{} = product} = Catalog.update_product(scope, product, update_attrs)
      assert product.title == "some updated title"
    end

    test "update_product/3 in another scope raises" do
      product = product_fixture(user_scope_fixture())
      other_scope = user_scope_fixture()
      assert_raise MatchError, fn -> Catalog.update_product(other_scope, product, %{}) end
    end

    test "update_product/3 with invalid data returns an error changeset and changes nothing" do
      scope = user_scope_fixture()
      product = product_fixture(scope)
      assert {:error, %Ecto.Changeset{}} = Catalog.update_product(scope, product, @invalid_attrs)
      assert Catalog.get_product!(scope, product.id) == product
    end

    test "delete_product/2 deletes the product" do
      scope = user_scope_fixture()
      product = product_fixture(scope)
      assert {:ok, %Product{}} = Catalog.delete_product(scope, product)
      assert_raise Ecto.NoResultsError, fn -> Catalog.get_product!(scope, product.id) end
    end

    test "delete_product/2 in another scope raises" do
      product = product_fixture(user_scope_fixture())
      other_scope = user_scope_fixture()
      assert_raise MatchError, fn -> Catalog.delete_product(other_scope, product) end
    end

    test "change_product/2 returns a product changeset" do
      scope = user_scope_fixture()
      product = product_fixture(scope)
      assert %Ecto.Changeset{} = Catalog.change_product(scope, product)
    end
  end
end
