"""What one self-assessment response holds, and how it is checked before it is stored.

A **response** is one participant's contribution to the room (one per participant and round;
its groups in the privacy step are the criteria it rates, each of its partner and role:
:func:`groups`)::

    {"partner": "spesia", "role": "self" | "peer", "assessor": "Name",
     "ratings": {"JOH1": {"level": 0-4, "confidence": 1-3 (optional),
                          "evidence": "...", "idea": "..."}, ...}}

Ratings may cover only some criteria. Other top-level fields are kept as they are. A malformed
response is refused with a message that names the field (:func:`check_response`). The answer's
receipt is the participant code its device got on joining (:data:`RECEIPT_LENGTH`
characters, no look-alike letters: :func:`check_receipt`).

This module imports neither numpy nor pandas: the form's kernel checks through it.
"""

from __future__ import annotations

import json
import numbers
from collections.abc import Iterable, Mapping

from kit import partners
from kit.errors import KitInputError
from kit.room import CODE_ALPHABET, CODE_LENGTH, check_code
from kit.workshops.self_assessment.criteria import LEVELS

ROLES = ("self", "peer")

CONFIDENCE = (1, 2, 3)
MAX_TEXT = 4000
#: receipt codes are the room's participant codes (:mod:`kit.room`)
RECEIPT_ALPHABET, RECEIPT_LENGTH = CODE_ALPHABET, CODE_LENGTH


def check_response(response: object, criteria_ids: Iterable[str]) -> dict:
    """Return a clean copy of ``response`` or raise :class:`KitInputError` (a ``ValueError``)
    that says what is wrong, in the current language."""
    ids = set(criteria_ids)
    if not isinstance(response, Mapping):
        raise KitInputError("response_not_mapping", value=type(response).__name__)
    for field in ("partner", "role", "assessor", "ratings"):
        if field not in response:
            raise KitInputError("response_missing_field", parameter=field)
    partner = response["partner"]
    valid = partners.ids(include_network=False)
    if partner not in valid:
        raise KitInputError(
            "unknown_partner", parameter="partner", value=partner, valid=", ".join(valid)
        )
    if response["role"] not in ROLES:
        raise KitInputError(
            "unknown_value", parameter="role", value=response["role"], valid=", ".join(ROLES)
        )
    assessor = response["assessor"]
    if not isinstance(assessor, str) or not assessor.strip() or len(assessor) > 200:
        raise KitInputError("response_bad_assessor", parameter="assessor")
    ratings = response["ratings"]
    if not isinstance(ratings, Mapping) or not ratings:
        raise KitInputError("response_no_ratings", parameter="ratings")
    clean: dict[str, dict] = {}
    for cid, rating in ratings.items():
        if cid not in ids:
            raise KitInputError(
                "unknown_value", parameter=f"ratings.{cid}", value=cid, valid=", ".join(sorted(ids))
            )
        if not isinstance(rating, Mapping) or "level" not in rating:
            raise KitInputError("response_rating_needs_level", parameter=f"ratings.{cid}")
        level = rating["level"]
        if (
            isinstance(level, bool)
            or not isinstance(level, numbers.Integral)
            or int(level) not in LEVELS
        ):
            raise KitInputError("response_bad_level", parameter=f"ratings.{cid}.level", value=level)
        confidence = rating.get("confidence")
        if confidence is not None and (
            isinstance(confidence, bool) or confidence not in CONFIDENCE
        ):
            raise KitInputError(
                "response_bad_confidence", parameter=f"ratings.{cid}.confidence", value=confidence
            )
        texts = {}
        for name in ("evidence", "idea"):
            value = rating.get(name, "") or ""
            if not isinstance(value, str) or len(value) > MAX_TEXT:
                raise KitInputError(
                    "response_bad_text", parameter=f"ratings.{cid}.{name}", limit=MAX_TEXT
                )
            texts[name] = value.strip()
        clean[str(cid)] = {
            "level": int(level),
            "confidence": None if confidence is None else int(confidence),
            **texts,
        }
    extra = {
        k: v for k, v in response.items() if k not in ("partner", "role", "assessor", "ratings")
    }
    try:
        extra_json = json.dumps(extra, ensure_ascii=False)
    except (TypeError, ValueError):
        raise KitInputError("response_extra_not_json") from None
    return {
        "partner": partner,
        "role": response["role"],
        "assessor": assessor.strip(),
        "ratings": clean,
        "extra": extra_json,
    }


def groups(clean: Mapping) -> list[str]:
    """The privacy step's groups of a checked response: one per criterion it rates, of its
    partner and role (``JOH1|spesia|self``), the finest cell any view or report shows. Each
    cell moves only with ``k`` new participants of its own, so no partner's or role's figure
    differs between two shown states by fewer than ``k`` people."""
    return [f"{c}|{clean['partner']}|{clean['role']}" for c in clean["ratings"]]


def check_receipt(code: object) -> str:
    """A participant code as typed, in its stored form (:func:`kit.room.check_code`)."""
    return check_code(code)
