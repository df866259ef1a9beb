/** @odoo-module **/

import {registry} from "@web/core/registry";

// A collector makes an invoice repeat every 2 weeks, 6 times, and sees the
// schedule it made; back on the invoice, it says it repeats.
registry.category("web_tour.tours").add("crm_invoices_recurring_tour", {
    steps: () => [
        {
            content: "The invoice of the tour's customer is open",
            trigger: ".o_form_view:contains('Recurring Tour Customer')",
        },
        {
            content: "Make it recurring",
            trigger: "button:contains('Make Recurring')",
            run: "click",
        },
        {
            content: "Every 2…",
            trigger: ".modal div[name='interval'] input",
            run: "edit 2",
        },
        {
            content: "…weeks",
            trigger: ".modal div[name='unit'] select",
            run: 'select "week"',
        },
        {
            content: "6 invoices",
            trigger: ".modal div[name='cycles'] input",
            run: "edit 6",
        },
        {
            content: "(leave the field)",
            trigger: ".modal .modal-body p.text-muted",
            run: "click",
        },
        {
            content: "The last period's end is shown before confirming",
            trigger: ".modal div[name='date_end']:not(:empty)",
        },
        {
            content: "Confirm",
            trigger: ".modal footer button.btn-primary:contains('Make Recurring')",
            run: "click",
        },
        {
            content: "The schedule opens: its customer and its next invoice date",
            trigger:
                ".o_action_manager .o_form_view:has(div[name='recurring_next_date']) div[name='partner_id'] input:value(Recurring Tour Customer)",
        },
        {
            content: "It makes invoices every 2 weeks",
            trigger: ".o_form_view .o_crm_repeats:contains('2'):contains('Week')",
        },
        {
            content: "Back to the invoice",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('INV/')",
            run: "click",
        },
        {
            content: "The invoice says it repeats",
            trigger: ".oe_stat_button:contains('Repeats')",
        },
        {
            content: "and offers to stop it, no longer to make it recurring",
            trigger:
                ".o_form_view:not(:has(button:contains('Make Recurring'))) button:contains('Stop Repeating')",
        },
    ],
});

// The pay page of an invoice whose schedule charges saved cards asks the
// customer's consent to keep the card.
registry.category("web_tour.tours").add("crm_invoices_recurring_pay_tour", {
    steps: () => [
        {
            content: "The invoice is shown",
            trigger: ".o_crm_pay .card:contains('Amount due')",
        },
        {
            content: "Choose the company's provider",
            trigger: "input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Consent to keep the card is asked, not assumed",
            trigger: "input[name='o_payment_tokenize_checkbox']:not(:checked)",
        },
        {
            content: "in words",
            trigger: "label:contains('Save my payment details')",
        },
    ],
});
