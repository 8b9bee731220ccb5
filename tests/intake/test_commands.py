"""The intake command (progress bar, errors in one line) and the benchmark command."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from claims.models import ArticleIntake

SEED = Path(__file__).resolve().parents[2] / "claims" / "seed" / "article.txt"


@pytest.mark.django_db
def test_intake_command_reads_a_file_with_a_progress_bar():
    out, err = StringIO(), StringIO()
    call_command("intake", file=str(SEED), title="Hama", publisher="Al Jazeera", stdout=out, stderr=err)
    assert "10 claims proposed" in out.getvalue()
    assert "Reading: 100%" in err.getvalue()  # the bar is left at its end
    assert ArticleIntake.objects.get().state == ArticleIntake.State.DONE


@pytest.mark.django_db
def test_intake_command_errors_are_one_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    with pytest.raises(CommandError, match=r"^text: The text is empty"):
        call_command("intake", file=str(empty))
    with pytest.raises(CommandError, match=r"^url: This address may not be fetched"):
        call_command("intake", url="http://169.254.169.254/latest/")
    assert not ArticleIntake.objects.exists()


def test_benchmark_prints_recall_and_precision():
    out = StringIO()
    call_command("intake_benchmark", stdout=out)
    assert "article.txt (13 expected claims)" in out.getvalue()
    assert "rules: recall 12/13" in out.getvalue()
