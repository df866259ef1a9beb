import {onWillStart, useState} from "@odoo/owl";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {ListController} from "@web/views/list/list_controller";
import {listView} from "@web/views/list/list_view";

/**
 * The BNR reference rates: Odoo's editable list, with what is missing said
 * above it -- a half-year whose rate interest needs and the table lacks
 * (the server decides: crm.invoices.reference.rate.crm_rates_notice).
 */
export class ReferenceRateListController extends ListController {
    static template = "crm_invoices.ReferenceRateListView";

    setup() {
        super.setup();
        this.rateOrm = useService("orm");
        this.rateNotice = useState({text: false});
        onWillStart(() => this.loadRateNotice());
    }

    async loadRateNotice() {
        this.rateNotice.text = await this.rateOrm.call(
            "crm.invoices.reference.rate",
            "crm_rates_notice",
            []
        );
    }

    async onRecordSaved() {
        await super.onRecordSaved(...arguments);
        await this.loadRateNotice();
    }
}

registry.category("views").add("crm_reference_rate_list", {
    ...listView,
    Controller: ReferenceRateListController,
});
