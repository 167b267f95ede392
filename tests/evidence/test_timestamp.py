"""RFC 3161 time-stamps of checkpoints, from a throwaway local ``openssl ts`` authority."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from sijill.evidence.models import Checkpoint
from sijill.store.engine import transaction
from tests.evidence.conftest import AddItems, Cli

pytestmark = pytest.mark.usefixtures("openssl")

TS_CONFIG = """[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.crt
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
other_policies = 1.2.3.4.5
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A fictional CA and TSA answering RFC 3161 over HTTP on 127.0.0.1: (url, CA cert)."""
    d = tmp_path_factory.mktemp("tsa")
    (d / "ext.cnf").write_text(
        "extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n"
        "basicConstraints=CA:FALSE\n"
    )
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-subj",
        "/CN=Fictional Test CA",
        "-days",
        "2",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=d,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "tsa.key",
        "-out",
        "tsa.csr",
        "-subj",
        "/CN=Fictional Test TSA",
        cwd=d,
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        "tsa.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tsa.crt",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        cwd=d,
    )
    (d / "serial").write_text("01\n")
    (d / "ts.cnf").write_text(TS_CONFIG.format(dir=d))
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                (d / "q.tsq").write_bytes(body)
                _openssl(
                    "ts",
                    "-reply",
                    "-config",
                    "ts.cnf",
                    "-queryfile",
                    "q.tsq",
                    "-out",
                    "r.tsr",
                    cwd=d,
                )
                reply = (d / "r.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/tsa", d / "ca.crt"
    server.shutdown()


def test_checkpoint_stamped_and_checked(
    cli: Cli,
    add_items: AddItems,
    media: dict[str, Path],
    authority: tuple[str, Path],
    case_url: str,
    tmp_path: Path,
) -> None:
    url, root = authority
    add_items(media["text"])
    code, out, err = cli("evidence", "checkpoint", "--tsa", url, "--json")
    assert code == 0, err
    assert json.loads(out)["timestamped"] is True
    code, out, _ = cli("verify", "--tsa-root", str(root), "--json")
    report = json.loads(out)
    assert code == 0 and report["timestamps"] == 1

    other_root = tmp_path / "other-ca.crt"
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "o.key",
        "-out",
        str(other_root),
        "-subj",
        "/CN=Other Fictional CA",
        "-days",
        "2",
        cwd=tmp_path,
    )
    code, out, _ = cli("verify", "--tsa-root", str(other_root), "--json")
    assert code != 0 and "time-stamp" in "\n".join(json.loads(out)["problems"])

    with transaction(case_url) as session:
        checkpoint = session.scalars(select(Checkpoint)).one()
        token = checkpoint.tsa_token
        assert token is not None
        checkpoint.tsa_token = token[:-40] + bytes(40)
    code, out, _ = cli("verify", "--tsa-root", str(root), "--json")
    assert code != 0 and "does not verify under" in "\n".join(json.loads(out)["problems"])


def test_unreachable_authority_is_an_error(
    sqlite_cli: Cli,
    sqlite_add_items: AddItems,
    media: dict[str, Path],
) -> None:
    sqlite_add_items(media["text"])
    code, _, err = sqlite_cli("evidence", "checkpoint", "--tsa", "http://127.0.0.1:9/none")
    assert code != 0 and "did not answer" in err
