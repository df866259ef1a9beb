import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_service/tour_utils";

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
            content: "The invoice list is shown",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "The list shows the last reminder sent",
            trigger: '.o_list_view th[data-name="crm_last_reminder_level_id"]',
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Keep only overdue invoices",
            trigger:
                '.o_filter_menu .o_menu_item:contains("Overdue"):not(:contains("30"))',
            run: "click",
        },
        {
            content: "Close the filters",
            trigger: ".o_control_panel_actions .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "The overdue filter is on",
            trigger: '.o_searchview_facet:contains("Overdue")',
        },
        {
            content: "Every row left is overdue",
            trigger:
                '.o_list_view:not(:has(td[name="crm_status"]:not(:contains("Overdue")))) .o_data_row',
        },
        {
            content: "Open the overdue invoice of the tour customer",
            trigger: '.o_data_row:contains("Tour Customer") td[name="partner_id"]',
            run: "click",
        },
        {
            content: "The form shows the status",
            trigger:
                '.o_form_view .o_field_widget[name="crm_status"]:contains("Overdue")',
        },
        {
            content: "Mark the invoice as sent",
            trigger: '.o_form_view button[name="action_crm_mark_sent"]',
            run: "click",
        },
        {
            content: "The sending date is shown and the button is gone",
            trigger:
                '.o_form_view:not(:has(button[name="action_crm_mark_sent"])) .o_field_widget[name="crm_date_sent"]',
        },
    ],
});
