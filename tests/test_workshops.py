"""Every registered workshop, through its model's one shape: built on the demo data, labelled
synthetic, and its headline (what ``kit run`` records) plain JSON. A new workshop is checked
here without being named."""

from __future__ import annotations

import importlib
import json

import pytest

from kit import partners, workshops


@pytest.mark.parametrize("workshop", workshops.REGISTRY, ids=workshops.names())
def test_the_demo_model_is_labelled_synthetic_and_its_headline_is_json(demo, workshop):
    module = importlib.import_module(workshop.model)
    model = module.build("demo", lang="sv")
    assert model.synthetic is True
    assert isinstance(model.label, str) and model.label
    partner = partners.NETWORK if workshop.scope == "network" else partners.ids()[1]
    head = module.headline(model, partner)
    assert isinstance(head, dict) and head
    assert json.loads(json.dumps(head)) == head  # plain values only
