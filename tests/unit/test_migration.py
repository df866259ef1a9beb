from crm_invoices.lib.migration import list_view_renames, rename_xmlids


class FakeCursor:
    """Enough of a cursor to see what the helper asks of the database."""

    def __init__(self, existing):
        self.names = set(existing)
        self.rowcount = 0

    def execute(self, query, params):
        new, module, old, _module, _new = params
        assert "UPDATE ir_model_data" in query and module == "m"
        self.rowcount = 0
        if old in self.names and new not in self.names:
            self.names = (self.names - {old}) | {new}
            self.rowcount = 1


def test_list_views_take_odoo_18s_name():
    assert list_view_renames("account_move_view_tree", "x_view_tree") == {
        "account_move_view_tree": "account_move_view_list",
        "x_view_tree": "x_view_list",
    }


def test_a_rename_happens_once_and_never_over_a_name_in_use():
    cursor = FakeCursor({"a_view_tree", "b_view_tree", "b_view_list"})
    renames = list_view_renames("a_view_tree", "b_view_tree", "c_view_tree")
    assert rename_xmlids(cursor, "m", renames) == 1
    assert cursor.names == {"a_view_list", "b_view_tree", "b_view_list"}
    assert rename_xmlids(cursor, "m", renames) == 0
