/** @odoo-module **/

import {registry} from "@web/core/registry";

// A visitor with only the link pays with the demo provider and lands on the
// confirmation page.
registry.category("web_tour.tours").add("crm_invoices_pay_link_tour", {
    steps: () => [
        {
            content: "The invoice and its amount are shown",
            trigger: ".o_crm_pay .card:contains('Amount due')",
        },
        {
            content: "Choose the demo provider",
            trigger: "input[name='o_payment_radio'][data-provider-code='demo']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "The confirmation page says the payment was received",
            trigger: ".o_crm_pay_done",
            timeout: 30000,
        },
    ],
});
