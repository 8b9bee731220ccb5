"""Throwaway certificate authorities and server certificates for HTTPS tests, made with the openssl CLI.

The ``cryptography`` package is not installed in this project, and the
openssl command line is on every machine the tests run on; EC P-256 keys keep
generation fast (a few milliseconds each).
"""

from __future__ import annotations

import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


@dataclass(frozen=True)
class Authority:
    """A certificate authority: ``cert`` is what a client trusts (its CA bundle)."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class ServerCert:
    cert: Path
    key: Path

    def context(self) -> ssl.SSLContext:
        """A server-side SSLContext presenting this certificate."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, self.key)
        return ctx


def make_authority(directory: Path, name: str = "Throwaway Test CA") -> Authority:
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", f"/CN={name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=directory,
    )  # fmt: skip
    return Authority(cert=directory / "ca.pem", key=directory / "ca.key")


def _san(names: tuple[str, ...]) -> str:
    entries = []
    for name in names:
        kind = "IP" if name.replace(".", "").isdigit() or ":" in name else "DNS"
        entries.append(f"{kind}:{name}")
    return ",".join(entries)


def issue(authority: Authority, directory: Path, *names: str) -> ServerCert:
    """A server certificate for ``names`` (DNS names or IP addresses) signed by ``authority``."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "ext.cnf").write_text(
        f"subjectAltName={_san(names)}\n"
        "basicConstraints=CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={names[0]}",
        cwd=directory,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", str(authority.cert), "-CAkey", str(authority.key),
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf",
        cwd=directory,
    )  # fmt: skip
    return ServerCert(cert=directory / "server.pem", key=directory / "server.key")


def self_signed(directory: Path, *names: str) -> ServerCert:
    """A certificate that signs itself: no CA bundle the fetcher uses trusts it."""
    directory.mkdir(parents=True, exist_ok=True)
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "self.key", "-out", "self.pem", "-days", "2", "-subj", f"/CN={names[0]}",
        "-addext", f"subjectAltName={_san(names)}",
        cwd=directory,
    )  # fmt: skip
    return ServerCert(cert=directory / "self.pem", key=directory / "self.key")
