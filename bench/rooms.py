"""Benchmark: every registered room (the form, the vote, the forum, RACER ratings) on the one
room core. For each: 30 participants joining and contributing at once (threads on one SQLite
file), the privacy step over those 30, the published state read back, and closing the round;
then a room of 300 participants' step, to see how the step grows.

Run with `make bench` or `python bench/rooms.py`; appends to bench/RESULTS.md.
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
        from kit import workshops
        from kit.workshops.spec import resolve

        rows = []
        for w in workshops.REGISTRY:
            if not w.room:
                continue
            w.call("demo")
            make, sample = resolve(w.room.store), resolve(w.room.sample)
            published = resolve(w.room.published)
            runs = iter(range(10_000))

            def fresh():
                return make(Path(tmp) / f"{w.name}-{next(runs)}.sqlite3")

            def room_of(n: int):
                store = fresh()

                def one(i: int) -> None:
                    sample(store, store.join(), 2 * i)

                threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
                for th in threads:
                    th.start()
                for th in threads:
                    th.join()
                return store

            rooms: list = []
            t, store = timed(lambda: rooms.append(room_of(30)) or rooms[-1], args.repeat)
            rows.append(
                (
                    f"{w.name}: 30 join and contribute at once",
                    t,
                    f"{store.status()['contributors']} stored",
                )
            )
            waiting = iter(rooms)  # each step on a room that has not moved yet
            t, shown = timed(lambda: next(waiting).advance(), args.repeat)
            rows.append((f"{w.name}: the privacy step over 30", t, f"{len(shown)} groups shown"))
            t, _ = timed(lambda: published(store), args.repeat)
            rows.append((f"{w.name}: the published state read back", t, ""))
            t, big = timed(lambda: room_of(300), 1)
            rows.append((f"{w.name}: 300 join and contribute at once", t, ""))
            t, shown = timed(big.advance, 1)
            rows.append((f"{w.name}: the privacy step over 300", t, f"{len(shown)} groups"))
            t, _ = timed(lambda: fresh().close(), args.repeat)
            rows.append((f"{w.name}: closing a round (last step included)", t, ""))
    report(rows, "rooms on the one core", "rooms.py", record=not args.no_record)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
