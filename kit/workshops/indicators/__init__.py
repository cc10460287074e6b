"""Workshop 3: indicators and scorecards (tuloskortti), and how usable each indicator is.

The indicator registry as data (:mod:`.indicator_registry`), values with their uncertainty (:mod:`.values`), the
usability table (:mod:`.usability`), the check-in store (:mod:`.checkins`), the scorecard
(:mod:`.scorecard`) and its app (:mod:`.view`), all through :mod:`.model`.
"""

from kit.workshops.spec import PER_PARTNER, App, Collects, Workshop

WORKSHOP = Workshop(
    name="indicators",
    number=3,
    report="03_indicators",
    apps=(App("03_scorecard", pool=1, kernel_mb=255),),
    room=Collects(
        store="kit.workshops.indicators.checkins:open_store",
        export="kit.workshops.indicators.usability:export_room",
        sample="kit.workshops.indicators.checkins:sample",
        published="kit.workshops.indicators.checkins:published",
    ),
    kinds="kit.workshops.indicators.kinds:KINDS",
    lookups=(("perspectives", "kit.workshops.indicators.kinds:perspective_ids"),),
    model="kit.workshops.indicators.model",
    scope=PER_PARTNER,
    preload=("kit.charts", "kit.workshops.indicators.charts", "kit.workshops.indicators.model"),
    warm="kit.workshops.indicators.demo:warm",
    demo="kit.workshops.indicators.synthetic:prepare",
    showcase="kit.workshops.indicators.demo:showcase",
    commands="kit.workshops.indicators.commands:COMMANDS",
    export="kit.workshops.indicators.model:export_tables",
)
