"""``shelter serve`` as deployed: a real server process behind a (simulated) TLS proxy."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

STARTUP_SECONDS = 900  # migrate creates the database and collects the static files
SHELTER = [sys.executable, "-c", "from shelter.cli import main; main()"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    home = tmp_path_factory.mktemp("serve-home")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHELTER_", "DJANGO_"))}
    env.update({"SHELTER_HOME": str(home), "SHELTER_HTTPS": "1", "SHELTER_SECRET_KEY": secrets.token_urlsafe(64),
                "SHELTER_ALLOWED_HOSTS": "shelter.example.org", "SHELTER_MAX_UPLOAD_MB": "1"})
    port = _free_port()
    subprocess.run([*SHELTER, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL, timeout=STARTUP_SECONDS)
    log = (home / "serve.log").open("w")
    process = subprocess.Popen([*SHELTER, "serve", "--port", str(port)], env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            assert process.poll() is None, (home / "serve.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "shelter serve did not start"
                time.sleep(0.5)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def _request(port: int, method: str, path: str, body: bytes | None = None,
             proto: str | None = "https") -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Host": "shelter.example.org"}
    if proto:
        headers["X-Forwarded-Proto"] = proto
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response


def test_https_requests_through_the_proxy_are_served(server: int) -> None:
    response = _request(server, "GET", "/accounts/login/")
    assert response.status == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Secure" in response.headers["Set-Cookie"]  # the CSRF cookie travels only over TLS


def test_plain_http_is_redirected_to_https(server: int) -> None:
    response = _request(server, "GET", "/accounts/login/", proto=None)
    assert response.status == 301
    assert response.headers["Location"] == "https://shelter.example.org/accounts/login/"


def test_unknown_hosts_are_refused(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    connection.request("GET", "/", headers={"Host": "attacker.example", "X-Forwarded-Proto": "https"})
    assert connection.getresponse().status == 400


def test_static_files_are_served_by_the_app(server: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    connection.request("GET", "/accounts/login/", headers={"Host": "shelter.example.org",
                                                           "X-Forwarded-Proto": "https"})
    page = connection.getresponse().read().decode()
    stylesheet = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    assert stylesheet.startswith("/static/shelter/shelter.") and stylesheet.endswith(".css")  # hashed name
    response = _request(server, "GET", stylesheet)
    assert response.status == 200
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_oversized_bodies_are_refused_by_the_server(server: int) -> None:
    # Announce a body over the limit and send only its start: the server answers from the headers, before
    # reading the body (sending all of it races the server closing the connection).
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=60)
    connection.putrequest("POST", "/accounts/login/")
    for name, value in {"Host": "shelter.example.org", "X-Forwarded-Proto": "https",
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Content-Length": str(3 * 1024 * 1024)}.items():
        connection.putheader(name, value)
    connection.endheaders(b"a=xxxx")
    response = connection.getresponse()
    response.read()
    assert response.status == 413
