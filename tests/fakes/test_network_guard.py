"""The suite's own promise: nothing beyond 127.0.0.1 is ever reached from a test."""

from __future__ import annotations

import socket

import pytest


def test_a_test_reaching_a_public_address_fails_before_any_packet_leaves() -> None:
    with socket.socket() as outward, pytest.raises(AssertionError, match=r"only 127\.0\.0\.1"):
        outward.connect(("93.184.216.34", 80))


def test_loopback_stays_open() -> None:
    with socket.socket() as server, socket.socket() as client:
        server.bind(("127.0.0.1", 0))
        server.listen()
        client.connect(server.getsockname())
        accepted, _ = server.accept()
        accepted.close()
