"""The quality workshop kit: helpers for the network's quality-management workshops.

A flat shared core, one module per job:

* :mod:`kit.i18n` – user-facing text in fi/sv/en from one catalogue (merged from the parts)
* :mod:`kit.errors` – the plain-language error for bad input
* :mod:`kit.readers`, :mod:`kit.statfiles`, :mod:`kit.arvo`, :mod:`kit.schemas`,
  :mod:`kit.validation`, :mod:`kit.loader`, :mod:`kit.importer` – reading and checking files as
  Arvo, Vipunen and Statistics Finland write them; ``kit import arvo``
* :mod:`kit.ytunnus`, :mod:`kit.periods`, :mod:`kit.surveys`, :mod:`kit.questions`,
  :mod:`kit.qualifications`, :mod:`kit.occupations`, :mod:`kit.partners` – the domain's
  identifiers
* :mod:`kit.feedback`, :mod:`kit.response`, :mod:`kit.key_figures`, :mod:`kit.funding` – the
  tidy forms and what derives from them
* :mod:`kit.uncertainty`, :mod:`kit.spc`, :mod:`kit.funnel` – intervals and tests, control
  charts, funnel plots
* :mod:`kit.threshold`, :mod:`kit.privacy`, :mod:`kit.suppression` – the anonymity rule
* :mod:`kit.synth`, :mod:`kit.datasets`, :mod:`kit.snapshots` – synthetic demo data, the data
  sets on offer, checked and kept results
* :mod:`kit.palette`, :mod:`kit.numbers`, :mod:`kit.templates`, :mod:`kit.markup`,
  :mod:`kit.charts`, :mod:`kit.descriptions` – how things look: colours, numbers, HTML and
  charts, and every chart in words
* :mod:`kit.export`, :mod:`kit.overview` – the Power BI star schema; first-look tables
* :mod:`kit.cells`, :mod:`kit.notebook`, :mod:`kit.exercises`, :mod:`kit.app` – notebooks as
  data, notebook helpers, exercise checks, the apps' shell
* :mod:`kit.store`, :mod:`kit.room`, :mod:`kit.console`, :mod:`kit.console_view`,
  :mod:`kit.joincode` – the live rooms: their store, the privacy step, the facilitator's
  console, the join code
* :mod:`kit.runner`, :mod:`kit.serve`, :mod:`kit.hub`, :mod:`kit.demo` – ``kit run``,
  ``kit serve``, the apps behind JupyterHub, ``kit demo``
* :mod:`kit.cli`, :mod:`kit.commands`, :mod:`kit.progress`, :mod:`kit.files`,
  :mod:`kit.paths`, :mod:`kit.envcheck` – the command line and its plumbing
* :mod:`kit.parts` – the registration points where the workshops add to the core

and one folder per workshop under :mod:`kit.workshops` (the registry of workshops, which wires
each into the core).
"""

__version__ = "0.1.0"


def _friendly_errors_in_notebooks() -> None:
    """In a Jupyter kernel, show bad input as the same one line the command line prints.

    Runs on ``import kit``; outside IPython (the command line, tests) it does nothing.
    """
    import sys

    if "IPython" not in sys.modules:
        return
    from kit.notebook import install_error_display

    install_error_display()


_friendly_errors_in_notebooks()


# the workshops register their parts at the core's registration points (kit.parts); light
import kit.workshops  # noqa: E402, F401
