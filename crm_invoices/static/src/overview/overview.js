import {Component, onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {Layout} from "@web/search/layout";

/**
 * The Invoices app's front door: the figures a collector watches (overdue
 * money, receivable, DSO, paid on time) and what needs doing today (to
 * send, to remind, bank lines to review, e-Factura to fix...), each opening
 * its list.  The server says what and how much
 * (crm.invoices.overview.crm_overview); this only draws it.
 */
export class InvoicesOverview extends Component {
    static template = "crm_invoices.Overview";
    static components = {Layout};
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({data: null});
        onWillStart(() => this.load());
    }

    async load() {
        this.state.data = await this.orm.call(
            "crm.invoices.overview",
            "crm_overview",
            []
        );
    }

    open(item) {
        if (item.action) {
            this.actionService.doAction(item.action);
        }
    }

    get layoutDisplay() {
        return {controlPanel: {}};
    }
}

registry.category("actions").add("crm_invoices.overview", InvoicesOverview);
