"""Workshop 1: dashboards for knowledge-based management.

Student and working-life feedback as a dashboard (:mod:`.dashboard`, the model, and
:mod:`.view`, its widgets), how feedback becomes funding (:mod:`kit.funding`, with the what-if
view in :mod:`.view`), one-page summaries for target groups (:mod:`.onepager`) and the Power BI
star schema (:mod:`kit.export`).
"""

from kit.workshops.spec import PER_PARTNER, App, Workshop

WORKSHOP = Workshop(
    name="dashboards",
    number=1,
    report="01_dashboards",
    before_serving="kit.workshops.dashboards.dashboard:prime_apps",
    apps=(App("01_dashboard_app", pool=2, kernel_mb=225),),
    model="kit.workshops.dashboards.dashboard",
    scope=PER_PARTNER,
    preload=(
        "kit.markup",
        "kit.workshops.dashboards.cards",
        "kit.charts",
        "kit.workshops.dashboards.charts",
        "kit.funding",
        "kit.workshops.dashboards.dashboard",
        "kit.workshops.dashboards.view",
        "kit.workshops.dashboards.onepager",
    ),
    warm="kit.workshops.dashboards.demo:warm",
    demo="kit.workshops.dashboards.synthetic:prepare",
    showcase="kit.workshops.dashboards.demo:showcase",
    commands="kit.workshops.dashboards.commands:COMMANDS",
)
