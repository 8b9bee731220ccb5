"""Intake by pasted text and by URL (real local HTTP server), and the editor's decisions on proposals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from claims.models import Article, ArticleIntake, Claim, ClaimProposal, Evidence, StatusChange
from claims.services.intake import intake_run, intake_submit
from claims.services.intake_review import proposal_accept, proposal_merge, proposal_reject
from tests.factories import ClaimFactory
from tests.fetching.servers import Page

REPORT = (
    "Syrian state media SANA said opposition fighters retreated some 20km from Hama.\n"
    "The opposition said on Telegram they captured five Iran-backed fighters in eastern Hama. "
    "The claims could not be independently confirmed.\n"
    "It was a cold day."
)
HTML = """<!doctype html><html><head><title>Fighting near Hama</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-12-04T10:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Fighting near Hama</h1>
<p>Syrian state media SANA said opposition fighters retreated some 20km from Hama on Wednesday.</p>
<p>The opposition said on Telegram they captured five Iran-backed fighters in eastern Hama.</p>
<p>Residents described a night of shelling, and aid groups worried about the coming winter.</p>
</article><footer>Copyright Example News</footer></body></html>"""

pytestmark = pytest.mark.django_db


def _nothing_stored() -> bool:
    return not Article.objects.exists() and not ClaimProposal.objects.exists()


def test_pasted_text_is_read_at_once(editor):
    intake = intake_submit(text=REPORT, title="Hama report", publisher_name="Example News", user=editor)
    assert intake.state == ArticleIntake.State.DONE and intake.progress == 100
    assert intake.article.title == "Hama report" and intake.article.publisher.name == "Example News"
    proposals = list(intake.proposals.all())
    assert [p.claimant_guess for p in proposals] == ["Syrian state media SANA", "Opposition"]
    assert proposals[0].figures == ["some 20km"] and proposals[0].places == ["Hama"]
    assert proposals[1].note.startswith("The claims could not be independently confirmed")


def test_a_title_that_several_articles_share_takes_the_oldest(editor):
    # Articles without a publisher may share a title (the API records them); schemathesis found the 500.
    first, _second = Article.objects.create(title="Hama report"), Article.objects.create(title="Hama report")

    intake = intake_submit(text=REPORT, title="Hama report", publisher_name="", user=editor)

    assert intake.state == ArticleIntake.State.DONE and intake.article == first


@pytest.mark.parametrize(
    ("text", "message"),
    [("   \n ", "The text is empty"), ("x" * 500_000, "over the 200,000-byte limit")],
)
def test_empty_or_huge_paste_is_refused_and_nothing_is_stored(editor, text, message):
    with pytest.raises(ValidationError) as caught:
        intake_submit(text=text, user=editor)
    assert message in caught.value.message_dict["text"][0]
    assert not ArticleIntake.objects.exists() and _nothing_stored()


def test_url_is_fetched_safely_and_its_metadata_kept(editor, settings, pages):
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    url = pages.set("/hama", body=HTML.encode())
    intake = intake_submit(url=url, user=editor)
    assert intake.state == ArticleIntake.State.QUEUED  # a URL is read by a task
    intake = intake_run(intake_id=intake.pk)
    assert intake.state == ArticleIntake.State.DONE, intake.error
    assert (intake.title, intake.publisher_name, str(intake.published_on)) == (
        "Fighting near Hama",
        "Example News",
        "2024-12-04",
    )
    assert "Home | World" not in intake.text and "Copyright" not in intake.text
    assert intake.proposals.count() == 2 and intake.article.url == url


def test_blocked_url_is_refused_before_anything_is_queued(editor, pages):
    with pytest.raises(ValidationError) as caught:
        intake_submit(url=pages.url("/hama"), user=editor)  # loopback, not allowed
    assert "may not be fetched" in caught.value.message_dict["url"][0]
    assert pages.connections == 0 and not ArticleIntake.objects.exists()


def test_url_that_times_out_fails_with_the_reason_and_stores_no_article(editor, settings, pages):
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{pages.port}"]
    url = pages.set("/slow", Page(body=HTML.encode(), delay=10))
    intake = intake_run(intake_id=intake_submit(url=url, user=editor).pk)
    assert intake.state == ArticleIntake.State.FAILED
    assert "2 s" in intake.error  # the fetcher's deadline (FETCH_TOTAL_TIMEOUT), named in its words
    assert _nothing_stored()


def test_accept_makes_one_claim_with_the_article_as_origin(editor):
    intake = intake_submit(text=REPORT, title="Hama report", publisher_name="Example News", user=editor)
    proposal = intake.proposals.first()
    claim = proposal_accept(proposal_id=proposal.pk, user=editor, text="Opposition fighters retreated 20 km from Hama.")
    assert claim.text == "Opposition fighters retreated 20 km from Hama."
    assert claim.claimant.name == "Syrian state media SANA" and claim.article == intake.article
    made = Evidence.objects.get(claim=claim)
    assert made.role == Evidence.Role.MADE and made.quote == proposal.sentence
    assert made.source.publisher.name == "Example News"
    assert StatusChange.objects.filter(claim=claim).count() == 1
    # Accepting again (a double click, a second editor) returns the same claim.
    assert proposal_accept(proposal_id=proposal.pk, user=editor).pk == claim.pk
    assert Claim.objects.count() == 1


def test_merge_and_reject(editor):
    intake = intake_submit(text=REPORT, title="Hama report", user=editor)
    first, second = intake.proposals.all()
    existing = ClaimFactory(text="Opposition fighters retreated 20 km from Hama.")
    merged = proposal_merge(proposal_id=first.pk, claim_id=existing.pk, user=editor)
    assert merged.pk == existing.pk
    assert Evidence.objects.get(claim=existing, role=Evidence.Role.MADE).quote == first.sentence
    rejected = proposal_reject(proposal_id=second.pk, user=editor, reason="Not checkable")
    assert rejected.state == ClaimProposal.State.REJECTED and "Not checkable" in rejected.note
    with pytest.raises(ValidationError, match="already rejected"):
        proposal_accept(proposal_id=second.pk, user=editor)
    assert Claim.objects.count() == 1
