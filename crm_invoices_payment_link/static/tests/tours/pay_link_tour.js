/** @odoo-module **/

import {registry} from "@web/core/registry";

// A visitor with only the link sees the invoice, the amount and a way to pay,
// and pays: the provider's page takes over (the tests' provider sends the
// visitor to Odoo's payment status page, where a real provider would show
// its own).
registry.category("web_tour.tours").add("crm_invoices_pay_link_tour", {
    steps: () => [
        {
            content: "The invoice and its amount are shown",
            trigger: ".o_crm_pay .card:contains('Amount due'):contains('250.00')",
        },
        {
            content: "What is paid, in words",
            trigger: ".o_crm_pay:contains('You are paying')",
        },
        {
            content: "Choose the company's provider",
            trigger: "input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "The provider takes over: Odoo's payment status page",
            trigger: "body:contains('Payment')",
        },
    ],
});

// Back from the provider, once it confirmed the payment.
registry.category("web_tour.tours").add("crm_invoices_pay_link_paid_tour", {
    steps: () => [
        {
            content: "The confirmation page says the payment was received",
            trigger: ".o_crm_pay_done:contains('your payment was received')",
        },
        {
            content: "The invoice reads paid: nothing left to pay",
            trigger: ".o_crm_pay .card:contains('Amount due'):contains('0.00')",
        },
    ],
});
