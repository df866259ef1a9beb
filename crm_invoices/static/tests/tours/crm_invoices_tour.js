import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

/**
 * A collector's morning, on a desktop: the Invoices app opens on its
 * overview, whose figures open their lists; the list reads signed money;
 * an overdue invoice offers a reminder; marking it sent goes through the
 * Actions menu and a dialog that says what it will do.
 * (crm_invoices/tests/test_tour.py builds the data the steps read.)
 */
registry.category("web_tour.tours").add("crm_invoices_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Invoices app",
            trigger: '.o_app[data-menu-xmlid="crm_invoices.crm_invoices_menu_root"]',
            run: "click",
        },
        {
            content:
                "It opens on the overview: the money overdue, and how many invoices",
            trigger: ".o_crm_overview .o_crm_figure_overdue:contains(2 invoice(s))",
        },
        {
            content: "What needs action today: two invoices to send",
            trigger: ".o_crm_todo .o_crm_todo_to_send .o_crm_todo_count:contains(2)",
        },
        {
            content: "Open the overdue money",
            trigger: ".o_crm_overview .o_crm_figure_overdue",
            run: "click",
        },
        {
            content: "The list of the overdue invoices, each of them overdue",
            trigger:
                '.o_list_view:not(:has(td[name="crm_status"]:not(:contains("Overdue")))) .o_data_row:contains("Tour Customer")',
        },
        {
            content: "Its amount due, in its own currency",
            trigger:
                '.o_data_row:contains("Tour Customer") td[name="crm_due_signed"]:contains("500.00")',
        },
        {
            content: "Three bulk buttons, the rest in the Actions menu",
            trigger: '.o_list_view:not(:has(button[name="action_crm_bulk_delete"]))',
        },
        {
            content: "Open the invoice in dollars",
            trigger:
                '.o_data_row:contains("Tour Customer"):has(td[name="crm_due_signed"]:contains("500.00")) td[name="partner_id"]',
            run: "click",
        },
        {
            content: "It is overdue, and offers a reminder",
            trigger:
                '.o_form_view:has(.o_field_widget[name="crm_status"]:contains("Overdue")) button[name="action_crm_send_reminder"]',
        },
        {
            content: "Mark as Sent is not in the header",
            trigger:
                '.o_form_view .o_form_statusbar:not(:has(button[name="action_crm_mark_sent"]))',
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_control_panel .o_cp_action_menus .dropdown-toggle",
            run: "click",
        },
        {
            content: "Mark as Sent",
            trigger: '.o-dropdown--menu .o-dropdown-item:contains("Mark as Sent")',
            run: "click",
        },
        {
            content: "The dialog says what it will do",
            trigger:
                '.modal .o_field_widget[name="summary"]:contains("1 invoice(s) will be marked as sent.")',
        },
        {
            content: "Confirm",
            trigger: '.modal button[name="action_confirm"]',
            run: "click",
        },
        {
            content: "The invoice now shows when it was sent",
            trigger:
                '.o_form_view:not(:has(.modal)) .o_field_widget[name="crm_date_sent"]',
        },
    ],
});

/**
 * The list reads signed money, summed only in the company's currency.
 */
registry.category("web_tour.tours").add("crm_invoices_list_tour", {
    url: "/odoo/crm-invoices",
    steps: () => [
        {
            content: "A credit note reads negative, without a due date",
            trigger:
                '.o_data_row:contains("Tour Customer"):has(td[name="crm_status"]:contains("Credit Note Open")):has(td[name="invoice_date_due"]:empty) td[name="crm_total_signed"]:contains("-120.00")',
        },
        {
            content: "Open the search options",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Group by status",
            trigger: '.o_group_by_menu .o_menu_item:contains("Status")',
            run: "click",
        },
        {
            content:
                "The overdue group (500 dollars, 1,000 euros) never adds dollars and euros",
            trigger: '.o_group_header:contains("Overdue"):not(:contains("1,500.00"))',
        },
    ],
});

/**
 * On a phone: the Invoices list is a list of cards that say what the
 * desktop list says -- number, customer, amount left, status, days late.
 */
registry.category("web_tour.tours").add("crm_invoices_phone_tour", {
    url: "/odoo/crm-invoices",
    steps: () => [
        {
            content: "A card for the overdue invoice",
            trigger:
                '.o_kanban_record:contains("Tour Customer"):has(.o_crm_card_number)',
        },
        {
            content: "...its amount left",
            trigger:
                '.o_kanban_record:contains("Tour Customer") .o_crm_card_amount:contains("500.00")',
        },
        {
            content: "...its status",
            trigger:
                '.o_kanban_record:contains("Tour Customer") .o_field_widget[name="crm_status"]:contains("Overdue")',
        },
        {
            content: "...and how late it is",
            trigger:
                '.o_kanban_record:contains("Tour Customer") .o_crm_days_late:contains("10")',
        },
    ],
});

/**
 * In Romanian: the overview and the list speak the collector's language.
 */
registry.category("web_tour.tours").add("crm_invoices_romanian_tour", {
    url: "/odoo/crm-invoices-overview",
    steps: () => [
        {
            content: "The overview in Romanian",
            trigger: '.o_crm_overview .o_crm_figure_overdue:contains("Sume restante")',
        },
        {
            content: "What needs action today, in Romanian",
            trigger: '.o_crm_todo .o_crm_todo_to_send:contains("de trimis")',
        },
        {
            content: "Open the overdue money",
            trigger: ".o_crm_overview .o_crm_figure_overdue",
            run: "click",
        },
        {
            content: "The status in Romanian",
            trigger:
                '.o_data_row:contains("Tour Customer") td[name="crm_status"]:contains("Restantă")',
        },
    ],
});

/**
 * The BNR reference rates say which half-year lacks its rate.
 */
registry.category("web_tour.tours").add("crm_invoices_rates_tour", {
    url: "/odoo/action-crm_invoices.crm_invoices_reference_rate_action",
    steps: () => [
        {
            content: "The missing half-year is said above the rates",
            trigger: '.o_crm_rates_notice:contains("No rate for")',
        },
        {
            content: "The year reads as a year, not a number",
            trigger: '.o_data_row td[name="year"]:not(:contains(","))',
        },
    ],
});
