import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("crm_invoices_ar_trend_tour", {
    url: "/odoo/crm-invoices-trend",
    steps: () => [
        {
            content: "The trend is drawn",
            trigger: ".o_graph_renderer .o_graph_canvas_container canvas",
        },
        {
            content: "The month reminders began is marked under the graph",
            trigger: '.o_crm_trend_markers li:contains("Reminders Started")',
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the months",
            trigger: ".o_pivot .o_pivot_header_cell_closed, .o_pivot th",
        },
    ],
});
