"""`belanja-bareng report <name> --chart FILE.png`: the report, and its chart written where
staff asked, with its figures in one sentence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

from tests.support.fixtures.cli import Cli


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(tmp_path, capsys)


def close_december(cli: Cli) -> None:
    """One round closed in December 2026: BRS-SPHP50 55 sacks → 630.000 (market 675.000):
    order 34.650.000, market 37.125.000, saving 2.475.000."""
    cli.prepared()
    cli.ok("round", "create", "--name", "Belanja Bareng Desember", "--opens", "2026-12-01 08:00",
           "--closes", "2026-12-05 17:00", "--products", "BRS-SPHP50", "--open-now")  # fmt: skip
    for coop, quantity in (("DT", "20"), ("KKPITB", "20"), ("KOPERTIS4", "15")):
        cli.ok("order", "1", coop, "BRS-SPHP50", quantity)
    cli.now += timedelta(hours=2)
    cli.ok("round", "close", "1")


def test_staff_get_the_savings_chart_as_a_picture_file(cli: Cli, tmp_path: Path) -> None:
    close_december(cli)
    chart = tmp_path / "laporan" / "hemat.png"

    out = cli.ok("report", "savings", "--chart", str(chart))
    plain = cli.ok("report", "savings")

    with Image.open(chart) as image:
        assert image.format == "PNG" and image.width == 1080
    assert out.startswith(plain)  # the report as before, then the chart's alt text
    assert out[len(plain) :] == (
        "Grafik penghematan 1 bulan (Desember 2026): pesanan senilai "
        "Rp 34.650.000, di harga pasar Rp 37.125.000, hemat Rp 2.475.000.\n"
    )


def test_every_other_report_has_its_chart_too(cli: Cli, tmp_path: Path) -> None:
    close_december(cli)

    out = {
        name: cli.ok("report", name, "--chart", str(tmp_path / f"{name}.png"))
        for name in ("coops", "prices", "suppliers", "payments")
    }

    for name in out:
        with Image.open(tmp_path / f"{name}.png") as image:
            assert image.format == "PNG" and image.width == 1080, name
    assert out["coops"].endswith(
        "Grafik keikutsertaan 20 koperasi dalam 1 putaran terakhir: 0 rutin, 0 jarang, 3 baru, "
        "0 berhenti, 17 belum pernah memesan.\n"
    )
    assert "Grafik harga tercapai dibanding harga pasar per putaran, Desember 2026" in out["prices"]
    assert out["payments"].endswith(
        "Grafik disiplin pembayaran 3 tagihan: 0 lunas tepat waktu, 0 lunas terlambat, "
        "3 belum lunas (sisa Rp 34.650.000, 0 lewat jatuh tempo).\n"
    )
