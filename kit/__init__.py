"""The quality workshop kit: helpers for the network's quality-management workshops.

Modules, one job each:

* :mod:`kit.i18n` – user-facing text in fi/sv/en from one catalogue
* :mod:`kit.errors` – the plain-language error for bad input
* :mod:`kit.readers`, :mod:`kit.schemas`, :mod:`kit.loader` – reading and checking files
* :mod:`kit.ytunnus`, :mod:`kit.periods`, :mod:`kit.surveys`, :mod:`kit.questions`,
  :mod:`kit.partners` – the domain's identifiers
* :mod:`kit.feedback`, :mod:`kit.response`, :mod:`kit.indicators` – the tidy forms and what
  derives from them
* :mod:`kit.privacy` – the anonymity rule
* :mod:`kit.synth`, :mod:`kit.datasets` – synthetic demo data and the data sets on offer
* :mod:`kit.envcheck`, :mod:`kit.notebook`, :mod:`kit.cli` – environment check, notebook
  helpers and the ``kit`` command
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
