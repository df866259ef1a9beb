import {registry} from "@web/core/registry";

/**
 * e-Factura where a Romanian company's collector works: the list says which
 * invoice is late to report, the invoice's tab what to do next.
 */
registry.category("web_tour.tours").add("crm_invoices_efactura_tour", {
    url: "/odoo/crm-invoices",
    steps: () => [
        {
            content: "The late invoice says so in the list",
            trigger:
                '.o_data_row:contains("Client Tur SRL") td[name="crm_efactura_display"]:contains("Late")',
        },
        {
            content: "Open it",
            trigger: '.o_data_row:contains("Client Tur SRL") td[name="partner_id"]',
            run: "click",
        },
        {
            content: "Its e-Factura tab",
            trigger: '.o_notebook a[name="crm_efactura"]',
            run: "click",
        },
        {
            content: "The tab says what to do next",
            trigger:
                '.o_field_widget[name="crm_efactura_next_step"]:contains("Not sent yet: use Send e-Factura")',
        },
    ],
});
