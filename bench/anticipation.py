"""Benchmark: workshop 5's files and model. Reading StatFin's PC-Axis and JSON-stat 2 files and
Vipunen's API JSON, the demand signals (seasonal adjustment and trends of every series), the
whole model, and a room of 30 sending contributions to the forum store at once.

Run with `make bench` or `python bench/anticipation.py`; appends to bench/RESULTS.md.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import arguments, report, scratch_work, timed  # noqa: E402


def main() -> int:
    args = arguments(__doc__).parse_args()
    with scratch_work() as tmp:
        import pandas as pd

        from kit import loader
        from kit.workshops.anticipation import model, signals, synthetic
        from kit.workshops.anticipation.store import ForumStore

        rows = []
        t, folder = timed(lambda: synthetic.write(), 1)
        rows.append(("write the demo files (px, JSON-stat 2, Vipunen JSON)", t, str(folder.name)))
        px = folder / "tyonv_12ti.px"
        t, loaded = timed(lambda: loader.read(px), args.repeat)
        rows.append(("read + check the PC-Axis file (pyaxis)", t, f"{len(loaded.frame):,} cells"))
        js = folder / "api" / "tyonv_12ti.json"
        t, loaded_js = timed(lambda: loader.read(js), args.repeat)
        rows.append(
            ("read + check the JSON-stat 2 file (pyjstat)", t, f"{len(loaded_js.frame):,} cells")
        )
        sup = folder / "vipunen_supply.json"
        t, supply = timed(lambda: loader.read(sup), args.repeat)
        rows.append(("read + check the Vipunen API JSON", t, f"{len(supply.frame):,} records"))
        cube = pd.concat([loaded.frame, loaded_js.frame]).drop_duplicates(
            ["alue", "ammatti", "kuukausi", "tiedot"], keep="last"
        )
        months = signals.monthly(cube)
        t, summary = timed(lambda: signals.summary(months), args.repeat)
        rows.append(("signals: adjust and fit every series", t, f"{len(summary):,} series"))

        def fresh_model():
            model._models.clear()
            model._cores.clear()
            return model.build(lang="fi")

        t, m = timed(fresh_model, args.repeat)
        rows.append(("the whole model, from the files", t, f"{len(m.regions())} areas"))
        allowed = {
            "regions": list(m.regions()),
            "occupations": m.occupations_of("network"),
            "all_occupations": m.occupations_of("network"),
            "qualifications": ["371101"],
        }
        occ = allowed["occupations"][0]
        store = ForumStore(Path(tmp) / "forum.sqlite3", allowed)

        def room():
            def one(i):
                store.submit(
                    {
                        "participant": store.join(),
                        "field": occ[0],
                        "region": "ELY01",
                        "weak_signal": "x",
                        "ratings": [{"occupation": occ, "match": 3, "urgency": 4}],
                    }
                )

            threads = [threading.Thread(target=one, args=(i,)) for i in range(30)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()

        t, _ = timed(room, args.repeat)
        rows.append(
            ("30 contributions at once (threads, one SQLite file)", t, f"{store.count():,} stored")
        )
    report(rows, "workshop 5: anticipation", "anticipation.py", record=not args.no_record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
