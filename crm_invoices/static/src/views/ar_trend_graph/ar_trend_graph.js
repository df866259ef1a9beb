import {registry} from "@web/core/registry";
import {graphView} from "@web/views/graph/graph_view";
import {GraphModel} from "@web/views/graph/graph_model";
import {GraphRenderer} from "@web/views/graph/graph_renderer";

/**
 * The AR trend's graph: Odoo's graph, plus a mark on the month each company
 * began something whose effect the trend should show (its first payment
 * reminder, its first pay link...).  The server declares those as measures
 * named `*_started` (1 in that month, aggregated by max); each one present
 * on the model is drawn as a dashed vertical line on its month, labelled,
 * and listed under the graph.
 */
export class ArTrendGraphModel extends GraphModel {
    async _loadDataPoints(metaData) {
        const dataPoints = await super._loadDataPoints(...arguments);
        this.markers = [];
        const month = metaData.groupBy[0];
        const names = Object.keys(metaData.fields).filter((name) =>
            name.endsWith("_started")
        );
        if (!month || month.fieldName !== "month" || !names.length) {
            return dataPoints;
        }
        const {groups} = await this.orm.webReadGroup(
            metaData.resModel,
            metaData.domains[0].arrayRepr,
            names.map((name) => `${name}:max`),
            [month.spec],
            {lazy: false, context: {...this.searchParams.context}}
        );
        for (const group of groups) {
            for (const name of names) {
                if (group[name] > 0) {
                    this.markers.push({
                        label: group[month.spec],
                        what: metaData.fields[name].string,
                    });
                }
            }
        }
        return dataPoints;
    }
}

export class ArTrendGraphRenderer extends GraphRenderer {
    static template = "crm_invoices.ArTrendGraphRenderer";

    get markers() {
        return this.model.markers || [];
    }

    getChartConfig() {
        const config = super.getChartConfig();
        const markers = this.markers;
        if (!markers.length || config.type === "pie") {
            return config;
        }
        config.plugins = [
            ...(config.plugins || []),
            {
                id: "crmTrendMarkers",
                afterDraw: (chart) => {
                    const {ctx, chartArea, scales} = chart;
                    const labels = chart.data.labels || [];
                    markers.forEach((marker, index) => {
                        const position = labels.indexOf(marker.label);
                        if (position < 0) {
                            return;
                        }
                        const x = scales.x.getPixelForValue(position);
                        ctx.save();
                        ctx.strokeStyle = "#6c757d";
                        ctx.fillStyle = "#495057";
                        ctx.setLineDash([4, 4]);
                        ctx.beginPath();
                        ctx.moveTo(x, chartArea.top);
                        ctx.lineTo(x, chartArea.bottom);
                        ctx.stroke();
                        ctx.setLineDash([]);
                        ctx.font = "12px sans-serif";
                        // the label beside its line, on the side where it
                        // fits whole (a month near the right edge: on the
                        // left), on a white ground over the curves
                        const width = ctx.measureText(marker.what).width;
                        const fitsRight = x + 4 + width <= chartArea.right;
                        const left = fitsRight ? x + 4 : Math.max(x - 4 - width, 0);
                        const baseline = chartArea.top + 12 + 16 * index;
                        ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
                        ctx.fillRect(left - 2, baseline - 11, width + 4, 15);
                        ctx.fillStyle = "#495057";
                        ctx.fillText(marker.what, left, baseline);
                        ctx.restore();
                    });
                },
            },
        ];
        return config;
    }
}

export const arTrendGraphView = {
    ...graphView,
    Model: ArTrendGraphModel,
    Renderer: ArTrendGraphRenderer,
};

registry.category("views").add("crm_ar_trend_graph", arTrendGraphView);
