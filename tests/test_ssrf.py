"""SSRF guard: only http(s); only public addresses unless allow-listed; checked on the address connected to."""
from __future__ import annotations

import asyncio

import pytest

from pipeline.fetcher import Candidate, afetch_candidates
from pipeline.ssrf import AddressPolicy, BlockedAddress, DNSError, FetchRefused, precheck_url, resolve
from pipeline.storage import Storage
from tests.plugins.httpserver import Reply, fast_fetch_settings, redirect

BLOCKED = ["127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
           "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "ff02::1", "::",
           "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1"]
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("ip", BLOCKED)
def test_non_public_addresses_are_refused(ip):
    assert AddressPolicy().check(ip) is not None


@pytest.mark.parametrize("ip", PUBLIC)
def test_public_addresses_pass(ip):
    assert AddressPolicy().check(ip) is None


def test_allow_list_is_exact():
    pol = AddressPolicy(["127.0.0.1"])
    assert pol.check("127.0.0.1") is None
    assert pol.check("::ffff:127.0.0.1") is None
    assert pol.check("127.0.0.2") is not None and pol.check("10.0.0.1") is not None and pol.check("::1") is not None
    assert AddressPolicy(["10.0.0.0/8"]).check("10.1.2.3") is None


def test_scheme_and_literal_checks():
    pol = AddressPolicy()
    for url, reason in [("file:///etc/passwd", "blocked_scheme"), ("ftp://example.org/x", "blocked_scheme"),
                        ("gopher://example.org/", "blocked_scheme"), ("http://10.0.0.1/", "blocked_address"),
                        ("http://[::1]:8080/", "blocked_address"), ("http:///nohost", "invalid_url")]:
        with pytest.raises(FetchRefused) as e:
            precheck_url(url, pol)
        assert e.value.reason == reason, url
    precheck_url("https://example.org/a", pol)


def test_resolution_is_checked():
    async def go():
        pol = AddressPolicy()
        with pytest.raises(BlockedAddress):
            await resolve("localhost", 80, pol)          # resolves to loopback: refused
        with pytest.raises(DNSError):
            await resolve("no-such-host.invalid", 80, pol)
        assert await resolve("localhost", 80, AddressPolicy(["127.0.0.1"])) == "127.0.0.1"
    asyncio.run(go())


def test_hostname_to_loopback_refused_without_allow_list(news_server, tmp_path):
    """'localhost' resolves to a loopback address: refused unless allow-listed; no connection is made."""
    srv = news_server(hosts=1)
    srv.route("/a.html", Reply(body=b"<html>x</html>"))
    url = f"http://localhost:{srv.ports[0]}/a.html"
    sessions = []
    res = asyncio.run(afetch_candidates([Candidate(url)], fast_fetch_settings(allow_addresses=[]),
                                        Storage(tmp_path / "s"), run_id="x", session_hook=sessions.append))
    assert res.outcomes[0].reason == "blocked_address"
    assert sessions[0].backend.connect_log == [] and srv.requests() == []


def test_redirect_chain_checks_every_hop(news_server, tmp_path):
    srv = news_server(hosts=2)
    # host 0 redirects to host 1 (allowed) which redirects to a private address (refused)
    srv.route("/start.html", redirect(srv.url("/next.html", host=1)))
    srv.route("/next.html", redirect("http://192.168.0.10/admin"), host=1)
    srv.route("/file.html", redirect("file:///etc/passwd"))
    srv.route("/r0.html", redirect("/r1.html"))
    for i in range(1, 13):
        srv.route(f"/r{i}.html", redirect(f"/r{i + 1}.html"))
    res = asyncio.run(afetch_candidates(
        [Candidate(srv.url("/start.html")), Candidate(srv.url("/file.html")), Candidate(srv.url("/r0.html"))],
        fast_fetch_settings(obey_robots=False), Storage(tmp_path / "s"), run_id="x"))
    assert [o.reason for o in res.outcomes] == ["blocked_address", "blocked_scheme", "too_many_redirects"]
    assert len(srv.requests(path="/next.html")) == 1
    assert len([r for r in srv.requests() if r.path.startswith("/r")]) == 11   # first + 10 redirects followed
