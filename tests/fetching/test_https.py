"""The HTTPS path against real TLS servers on 127.0.0.1 with a throwaway CA.

Certificates are verified against FETCH_CA_BUNDLE and must name the URL's
host, while the connection still goes to the address the guard vetted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from claims import fetching
from claims.models import Source
from claims.services.checking import source_check_now
from tests.factories import SourceFactory
from tests.fetching import tls
from tests.fetching.servers import QUOTE, PageServer, article

ROOT = Path(__file__).resolve().parents[2]


def check(url: str):  # type: ignore[no-untyped-def]
    source = SourceFactory(url=url)
    result = source_check_now(source_id=source.pk)
    source.refresh_from_db()
    return result, source


def test_https_page_is_fetched_verified_and_pinned_to_the_vetted_address(settings, https_pages, monkeypatch) -> None:
    # given an allowed https URL by name, and DNS that stops answering for that name after the
    # guard's lookup (a rebinding resolver would answer differently; either way a second lookup is wrong)
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]
    https_pages.set("/page", body=article())
    url = https_pages.url("/page", host="localhost")
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        lookups.append(str(host))
        if host == "localhost" and lookups.count("localhost") > 1:
            raise socket.gaierror(socket.EAI_NONAME, "rebound")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)

    # when
    response = fetching.fetch(url)

    # then: the page came over TLS, the certificate (for "localhost" only) matched the URL's
    # host, and the server saw that name in SNI and in the Host header
    assert response.status == 200
    assert QUOTE.encode() in response.body
    assert response.url == url
    assert https_pages.server_names == ["localhost"]
    assert https_pages.request_headers["/page"][0]["host"] == f"localhost:{https_pages.port}"
    # and the name was resolved once, by the guard: the connection went to the vetted address
    assert lookups.count("localhost") == 1


@pytest.mark.django_db
def test_https_source_is_checked_through_the_recheck(settings, https_pages) -> None:
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]
    https_pages.set("/story", body=article())

    result, source = check(https_pages.url("/story", host="localhost"))

    assert result.outcome == Source.Outcome.CHANGED, result.reason
    assert source.snapshots.count() == 1


@pytest.mark.django_db
def test_certificate_for_another_name_is_refused_with_a_reason(settings, test_ca, tls_dir: Path) -> None:
    # given a server whose certificate (from the trusted CA) is for other.example, reached as localhost
    settings.FETCH_CA_BUNDLE = str(test_ca.cert)
    cert = tls.issue(test_ca, tls_dir / "other", "other.example")
    with PageServer(tls=cert.context()) as server:
        settings.FETCH_ALLOWED_HOSTS = [f"localhost:{server.port}"]
        server.set("/story", body=article())

        # when
        result, source = check(server.url("/story", host="localhost"))

        # then: an error the desk can read, and no request was sent over the untrusted connection
        assert result.outcome == Source.Outcome.ERROR
        assert source.last_outcome == Source.Outcome.ERROR
        assert "secure connection to localhost was refused" in result.reason
        assert "other.example" in result.reason
        assert server.hits["/story"] == 0


@pytest.mark.django_db
def test_self_signed_certificate_is_refused(settings, test_ca, tls_dir: Path) -> None:
    # given a self-signed certificate for the right name, not in the bundle
    settings.FETCH_CA_BUNDLE = str(test_ca.cert)
    cert = tls.self_signed(tls_dir / "self", "localhost")
    with PageServer(tls=cert.context()) as server:
        settings.FETCH_ALLOWED_HOSTS = [f"localhost:{server.port}"]
        server.set("/story", body=article())

        # when
        result, _source = check(server.url("/story", host="localhost"))

        # then
        assert result.outcome == Source.Outcome.ERROR
        assert "self-signed certificate" in result.reason
        assert server.hits["/story"] == 0


def test_default_bundle_does_not_trust_a_private_ca(settings, https_pages) -> None:
    # given the throwaway CA's server, but no FETCH_CA_BUNDLE (certifi's public roots)
    settings.FETCH_CA_BUNDLE = ""
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]
    https_pages.set("/page", body=article())

    # when / then
    with pytest.raises(fetching.FetchError, match="unable to get local issuer certificate"):
        fetching.fetch(https_pages.url("/page", host="localhost"))
    assert https_pages.hits["/page"] == 0


def test_unreadable_ca_bundle_is_a_readable_error(settings, https_pages, tmp_path: Path) -> None:
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("not a certificate\n")
    settings.FETCH_CA_BUNDLE = str(bundle)
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]

    with pytest.raises(fetching.FetchError, match="CA bundle"):
        fetching.fetch(https_pages.url("/page", host="localhost"))
    assert https_pages.connections == 0


def test_missing_ca_bundle_stops_startup_with_one_readable_line(tmp_path: Path) -> None:
    # given a deployment whose FETCH_CA_BUNDLE names a file that is not there
    env = {**os.environ, "FETCH_CA_BUNDLE": str(tmp_path / "missing.pem")}

    # when
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )

    # then: it fails at startup instead of turning every https check into an error
    assert result.returncode != 0
    assert "FETCH_CA_BUNDLE points to" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:{forbidden}/admin",
        "http://localhost:{forbidden}/admin",
        "https://127.0.0.1:{forbidden}/admin",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_redirect_from_https_to_a_forbidden_target_is_blocked(settings, https_pages, forbidden, target: str) -> None:
    # given an allowed https page that redirects (downgrading to http) somewhere private
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{https_pages.port}"]
    https_pages.redirect("/story", target.format(forbidden=forbidden.port))

    # when
    result, _source = check(https_pages.url("/story", host="localhost"))

    # then: the https hop happened, the forbidden one never connected
    assert result.outcome == Source.Outcome.BLOCKED, result.reason
    assert https_pages.hits["/story"] == 1
    assert forbidden.connections == 0
