"""Workshop 2: self-assessment with peer-review criteria.

The criteria as data (:mod:`.criteria`), the response store (:mod:`.store`), the analysis
(:mod:`.assessment`: distributions, consensus, self against peer, gaps, the plan) and the form
and the facilitator's live view (:mod:`.view`).
"""

from kit.workshops.spec import FACILITATOR, PER_PARTNER, App, Collects, Workshop

WORKSHOP = Workshop(
    name="self_assessment",
    number=2,
    report="02_self_assessment",
    before_serving="kit.workshops.self_assessment.criteria:plain",
    apps=(
        App("02_form", pool=2, shows_data=False, kernel_mb=60),
        App("02_live", pool=1, shows_data=False, audience=FACILITATOR, kernel_mb=110),
    ),
    room=Collects(
        store="kit.workshops.self_assessment.store:open_store",
        export="kit.workshops.self_assessment.spreadsheet:export_room",
        sample="kit.workshops.self_assessment.store:sample",
        published="kit.workshops.self_assessment.store:published",
    ),
    kinds="kit.workshops.self_assessment.kinds:KINDS",
    model="kit.workshops.self_assessment.assessment",
    scope=PER_PARTNER,
    preload=(
        "kit.charts",
        "kit.workshops.self_assessment.charts",
        "kit.workshops.self_assessment.assessment",
        "kit.workshops.self_assessment.store",
    ),
    warm="kit.workshops.self_assessment.demo:warm",
    demo="kit.workshops.self_assessment.synthetic:prepare",
    showcase="kit.workshops.self_assessment.demo:showcase",
    commands="kit.workshops.self_assessment.commands:COMMANDS",
)
