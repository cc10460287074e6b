"""Workshop 5: the anticipation forum: labour-market signals against the network's training
offer, and a forum that turns them into offer proposals.

Demand signals from StatFin ``tyonv/12ti`` (:mod:`.signals`), the training offer from Vipunen
(:mod:`.supply`), the hand-curated bridge between them (:mod:`.bridge`), the forum's picture
(:mod:`.model`), and the forum itself: a store safe for a room (:mod:`.store`), what the
facilitator may show of it (:mod:`.room`) and the app (:mod:`.view`).
"""

from kit.workshops.spec import FACILITATOR, NETWORK_ONLY, App, Collects, Workshop

WORKSHOP = Workshop(
    name="anticipation",
    number=5,
    report="05_anticipation",
    apps=(
        App("05_forum", pool=1, shows_data=True, kernel_mb=200),
        App("05_forum_room", pool=1, shows_data=True, audience=FACILITATOR, kernel_mb=200),
    ),
    room=Collects(
        store="kit.workshops.anticipation.proposals:open_store",
        export="kit.workshops.anticipation.proposals:export_room",
        sample="kit.workshops.anticipation.proposals:sample",
        published="kit.workshops.anticipation.proposals:published",
    ),
    kinds="kit.workshops.anticipation.kinds:KINDS",
    model="kit.workshops.anticipation.model",
    scope=NETWORK_ONLY,
    preload=("kit.charts", "kit.workshops.anticipation.charts", "kit.workshops.anticipation.model"),
    warm="kit.workshops.anticipation.demo:warm",
    demo="kit.workshops.anticipation.synthetic:prepare",
    showcase="kit.workshops.anticipation.demo:showcase",
    before_serving="kit.workshops.anticipation.demo:prepare",
)
