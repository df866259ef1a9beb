"""Benchmark the webhooks: what a user waits for when a change raises an
event, against Odoo's own webhook (an automation rule's "Send Webhook
Notification"), and how soon and how fast committed events reach a receiver
while another receiver is too slow.

Same database and seeding as ``bench_invoices.py``:

    python tests/bench/bench_webhooks.py --events 10000 -- -c ~/odoo.conf

It installs ``base_automation`` when missing, then prints:

- a user's change of an invoice (write and commit), ``--changes`` times:
  nobody listening, our webhook (a fast receiver, then one that answers after
  ``--slow-seconds``), Odoo's automation rule posting to the same receivers;
  median and 90th percentile, and the ratio ours / Odoo's;
- ``--events`` changes committed in batches of 500, delivered by two lanes,
  each in a process of its own (as two Odoo workers or machines run the two
  cron jobs), to a fast receiver while a receiver that answers after
  ``--slow-seconds`` (its timeout) listens to the same events: the time from
  each event's commit to its arrival (p50, p99, max), the fast receiver's
  throughput, the lanes' queries per event sent, each event received once,
  and what the slow one got meanwhile.

Everything it makes (webhooks, rules, events, deliveries) is removed at the
end; the invoices' references keep their last value.
"""

import multiprocessing
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "crm_invoices" / "tests"))

import bench_args  # noqa: E402 - beside this script
from webhook_receiver import Receiver  # noqa: E402 - the tests' receiver

EVENT = "invoice.updated"
COMMIT_BATCH = 500


def parse_args():
    parser = bench_args.parser(__doc__, "crm_invoices_bench")
    parser.add_argument("--events", type=int, default=10000)
    parser.add_argument("--changes", type=int, default=40)
    parser.add_argument("--slow-seconds", type=float, default=10.0)
    return bench_args.parse(parser)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * share), len(ordered) - 1)]


class Bench:
    def __init__(self, registry, args):
        self.registry = registry
        self.args = args

    def env(self, cr):
        from odoo import SUPERUSER_ID, api  # noqa: PLC0415

        return api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})

    def invoice_ids(self, count):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT id FROM account_move WHERE move_type = 'out_invoice' "
                "AND state = 'posted' ORDER BY id LIMIT %s",
                [count],
            )
            return [row[0] for row in cr.fetchall()]

    # ------------------------------------------------------------ setups

    def attempts(self, name):
        """Delivery attempts logged for the bench's webhook ``name`` (made
        afresh by each part of the bench)."""
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM crm_invoices_webhook_log log "
                "JOIN crm_invoices_webhook webhook ON webhook.id = log.webhook_id "
                "WHERE webhook.name = %s",
                [f"bench-{name}"],
            )
            return cr.fetchone()[0]

    def clean(self):
        """Nothing of ours or Odoo's listening; nothing queued."""
        with self.registry.cursor() as cr:
            env = self.env(cr)
            env["crm.invoices.webhook"].with_context(active_test=False).search(
                [("name", "like", "bench-")]
            ).unlink()
            cr.execute("DELETE FROM crm_invoices_webhook_event")
            env["base.automation"].with_context(active_test=False).search(
                [("name", "like", "bench-")]
            ).unlink()
            env["ir.config_parameter"].set_param(
                "crm_invoices.webhook_allow_private", "True"
            )

    def our_webhook(self, receiver, name, timeout=10):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            admin = env.ref("base.user_admin")
            env["crm.invoices.webhook"].with_user(admin).create(
                {
                    "name": f"bench-{name}",
                    "url": receiver.url,
                    "events": EVENT,
                    "timeout": timeout,
                }
            )

    def odoo_rule(self, receiver, name):
        with self.registry.cursor() as cr:
            env = self.env(cr)
            model = env["ir.model"]._get("account.move")
            env["base.automation"].create(
                {
                    "name": f"bench-{name}",
                    "model_id": model.id,
                    "trigger": "on_create_or_write",
                    "trigger_field_ids": [
                        (6, 0, env["ir.model.fields"]._get("account.move", "ref").ids)
                    ],
                    "action_server_ids": [
                        (
                            0,
                            0,
                            {
                                "name": f"bench-{name}",
                                "model_id": model.id,
                                "state": "webhook",
                                "webhook_url": receiver.url,
                            },
                        )
                    ],
                }
            )

    # ------------------------------------------------------------ the user

    def user_changes(self, invoice_id, count):
        """``count`` changes of one invoice, each its own transaction as a
        click is: milliseconds each."""
        timings, queries = [], []
        for index in range(count):
            started = time.perf_counter()
            with self.registry.cursor() as cr:
                move = self.env(cr)["account.move"].browse(invoice_id)
                move.ref = f"bench change {index} {time.time()}"
                move.env.flush_all()
                queries.append(cr.sql_log_count)
            timings.append((time.perf_counter() - started) * 1000)
        return timings, statistics.median(queries)

    def bench_user(self, fast, slow):
        [invoice_id] = self.invoice_ids(1)
        rows = []
        for label, setup in (
            ("nobody listening", None),
            ("ours, a fast receiver", ("ours", fast)),
            (f"ours, a {self.args.slow_seconds:g} s receiver", ("ours", slow)),
            ("Odoo's rule, a fast receiver", ("odoo", fast)),
            (f"Odoo's rule, a {self.args.slow_seconds:g} s receiver", ("odoo", slow)),
        ):
            self.clean()
            if setup:
                kind, receiver = setup
                receiver.clear()
                if receiver is slow:
                    receiver.answers = [(200, self.args.slow_seconds)] * (
                        self.args.changes + 2
                    )
                if kind == "ours":
                    self.our_webhook(receiver, label)
                else:
                    self.odoo_rule(receiver, label)
            self.user_changes(invoice_id, 2)  # warm
            timings, queries = self.user_changes(invoice_id, self.args.changes)
            rows.append(
                (label, statistics.median(timings), percentile(timings, 0.9), queries)
            )
        self.clean()
        print(f"\nA user's change of an invoice (write + commit), {self.args.changes}")
        for label, median, p90, queries in rows:
            print(
                f"  {label:36} median {median:8.1f} ms   p90 {p90:8.1f} ms   "
                f"{queries:g} queries before the commit"
            )
        for speed in (0, 1):
            ours, odoo = rows[1 + speed][1], rows[3 + speed][1]
            print(
                f"  ratio ours / Odoo's ({'fast' if not speed else 'slow'} receiver, "
                f"median): {ours / odoo:.2f}"
            )

    # ------------------------------------------------------------ delivery

    def bench_delivery(self, fast, slow):
        self.clean()
        fast.clear()
        slow.clear()
        slow.answers = [(200, self.args.slow_seconds + 1)] * self.args.events
        self.our_webhook(fast, "fast")
        self.our_webhook(slow, "slow", timeout=max(int(self.args.slow_seconds), 1))
        ids = self.invoice_ids(self.args.events)
        committed = {}
        spawn = multiprocessing.get_context("spawn")
        stop, ready = spawn.Event(), spawn.Semaphore(0)
        queries = spawn.Value("q", 0)
        lanes = [
            spawn.Process(
                target=lane_process,
                args=(self.args, stop, ready, queries),
            )
            for _i in range(2)
        ]
        for lane in lanes:
            lane.start()
        for _lane in lanes:
            ready.acquire()  # each worker's registry loaded
        started = time.time()
        for start in range(0, len(ids), COMMIT_BATCH):
            batch = ids[start : start + COMMIT_BATCH]
            with self.registry.cursor() as cr:
                moves = self.env(cr)["account.move"].browse(batch)
                moves.write({"ref": f"bench batch {start} {time.time()}"})
            now = time.time()
            committed.update(dict.fromkeys(batch, now))
        made = time.time() - started
        deadline = time.time() + max(120, len(ids) / 20)
        while len(fast.received) < len(ids) and time.time() < deadline:
            time.sleep(0.2)
        delivered_in = time.time() - started
        stop.set()
        for lane in lanes:
            lane.join()
        bodies = fast.bodies()
        latencies = [
            arrival - committed[int(body["data"]["id"])]
            for body, arrival in zip(bodies, fast.arrivals, strict=True)
        ]
        unique = {body["id"] for body in bodies}
        attempts = self.attempts("fast"), self.attempts("slow")
        self.clean()
        print(
            f"\n{len(ids):,} events committed in batches of {COMMIT_BATCH} "
            f"({made:.1f} s), two lanes, a fast receiver beside a "
            f"{self.args.slow_seconds:g} s one"
        )
        print(
            f"  fast receiver: {len(bodies):,} received ({len(unique):,} distinct "
            f"events) in {delivered_in:.1f} s, {len(bodies) / delivered_in:.0f}/s"
        )
        if latencies:
            print(
                f"  commit -> arrival: p50 {percentile(latencies, 0.5):.2f} s   "
                f"p99 {percentile(latencies, 0.99):.2f} s   max {max(latencies):.2f} s"
            )
        print(
            f"  the lanes: {queries.value / max(sum(attempts), 1):.1f} queries per "
            f"delivery attempt ({sum(attempts):,} attempts, both receivers)"
        )
        print(
            f"  slow receiver meanwhile: {attempts[1]} attempts, each timing out "
            "(then the webhook backs off)"
        )
        assert len(unique) == len(bodies) == len(ids), "each event once"


def lane_process(args, stop, ready, queries):
    """A cron worker in a process of its own, running the delivery lane as
    Odoo's cron runs it until told to stop; adds up the queries it made."""
    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api, sql_db  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    registry = odoo.modules.registry.Registry(args.database)
    ready.release()
    while not stop.is_set():
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tz": "UTC"})
            deliveries = env["crm.invoices.webhook.delivery"]
            if not deliveries._crm_due():
                cr.rollback()
                time.sleep(0.05)
                continue
            before = sql_db.sql_counter
            deliveries._cron_deliver()
            with queries.get_lock():
                queries.value += sql_db.sql_counter - before


def main():
    args = parse_args()
    from bench_invoices import ensure_database  # noqa: PLC0415
    from bench_pay_link import ensure_modules  # noqa: PLC0415
    from seed import ensure_invoices  # noqa: PLC0415

    import odoo  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    odoo.tools.config.parse_config([*args.odoo_args, f"--addons-path={ROOT}"])
    ensure_database(args)

    def registry_of():
        return odoo.modules.registry.Registry.new(args.database)

    registry = ensure_modules(args, registry_of, ("base_automation",))
    with registry.cursor() as cr:
        ensure_invoices(api.Environment(cr, SUPERUSER_ID, {}), args.events)
    bench = Bench(registry, args)
    fast, slow = Receiver().start(), Receiver().start()
    try:
        bench.bench_user(fast, slow)
        bench.bench_delivery(fast, slow)
    finally:
        bench.clean()
        fast.stop()
        slow.stop()


if __name__ == "__main__":
    main()
