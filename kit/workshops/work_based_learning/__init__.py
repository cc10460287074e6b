"""Workshop 4: critical points of work-based learning: the process, the working-life
feedback and the guidance material.

The process as data (:mod:`.phases`), the critical points measured through the privacy rule
(:mod:`.critical`), working-life feedback and money (:mod:`.money`), where feedback is lost
(:mod:`.work_periods`), the guidance-material register (:mod:`.materials`), the room's vote
(:mod:`.votes`, app :mod:`.view`), all through :mod:`.model`.
"""

from kit.workshops.spec import PER_PARTNER, App, Collects, Workshop

WORKSHOP = Workshop(
    name="work_based_learning",
    number=4,
    report="04_work_based_learning",
    apps=(App("04_vote", pool=1, shows_data=False, kernel_mb=160),),
    room=Collects(
        store="kit.workshops.work_based_learning.votes:open_store",
        export="kit.workshops.work_based_learning.votes:export_room",
        sample="kit.workshops.work_based_learning.votes:sample",
        published="kit.workshops.work_based_learning.votes:published",
    ),
    kinds="kit.workshops.work_based_learning.kinds:KINDS",
    lookups=(("wbl_phases", "kit.workshops.work_based_learning.kinds:phase_ids"),),
    model="kit.workshops.work_based_learning.model",
    scope=PER_PARTNER,
    preload=(
        "kit.charts",
        "kit.workshops.work_based_learning.charts",
        "kit.workshops.work_based_learning.model",
    ),
    warm="kit.workshops.work_based_learning.demo:warm",
    demo="kit.workshops.work_based_learning.synthetic:prepare",
    showcase="kit.workshops.work_based_learning.demo:showcase",
    before_serving="kit.workshops.work_based_learning.view:snapshot",
)
