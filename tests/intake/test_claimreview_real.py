"""A ClaimReview record as a fact-checker really published it, not one written for the tests.

``claimreview/real-afp-factuel-via-defacto.json`` is AFP Factuel's review of a
French claim as the De Facto observatory's database serves it (quoted in the
SPSM project's database manager README; the author's name was redacted
there). It has what hand-made files tend not to: string ratings, a localised
label ("Faux"), an author object typed with ``type`` instead of ``@type``,
a timestamp with a UTC offset, and an appearance without a headline.
"""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from claims.models import ExternalFactCheck

REAL = Path(__file__).parent / "claimreview" / "real-afp-factuel-via-defacto.json"
pytestmark = pytest.mark.django_db


def test_a_real_afp_record_is_imported_once_with_its_verdict():
    out = StringIO()
    call_command("import_claimreview", str(REAL), stdout=out)
    call_command("import_claimreview", str(REAL), stdout=StringIO())

    record = ExternalFactCheck.objects.get()
    assert record.claim_reviewed == "Le contrôle du FIJAIS n'est plus exigé pour l'agrément d'assistant maternel"
    assert record.review_url.startswith("https://defacto-observatoire.fr/Medias/Factuel/")
    assert record.rating_label == "Faux"
    assert record.mapped_status == "false"  # 1 on a 1..5 scale, given as strings
    assert str(record.published_on) == "2022-12-09"
    assert record.claimant == "Sources multiples"
