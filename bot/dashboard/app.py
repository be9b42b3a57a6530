"""The dashboard's aiohttp application: sign-in by link, a session in front of every page.

Paths (Indonesian, as the admins read them):

- `GET /masuk/<token>`: the link `/dasbor` gave. A page with one "Masuk" button, so a chat
  app fetching the link for its preview does not use it up; 403 when the link cannot sign
  in (used, expired, unknown, or its admin removed).
- `POST /masuk/<token>`: uses the link up (`usecases.dashboard.sign_in`), sets the session
  cookie (HttpOnly, SameSite=Lax, Secure when `public_url` is https) and goes to `/`.
- `POST /keluar`: ends this session, clears its cookie and sends the browser (303) to
  `GET /masuk`, the page that says it signed out and how to sign in again; so reloading it
  posts nothing, and the address bar no longer shows `/keluar`. A browser still signed in
  that opens `/masuk` goes to `/`.
- `/` the open round live, `/putaran` every round, `/putaran/<id>` one round's figures,
  `/putaran/<id>/tagihan` its bills and payments, `/putaran/<id>/tagihan/<number>.pdf` one
  bill as the coop gets it, `/putaran/<id>/buku-kerja.xlsx` its workbook, `/laporan/hemat`,
  `/laporan/koperasi`, `/laporan/harga`, `/laporan/pemasok` and `/laporan/pembayaran` the
  reports across closed rounds; all but the savings also as files, `/laporan/harga.xlsx`
  (`.csv`, `.pdf`) and so on, in the admin's language (`usecases.reports.write_files`); each
  report's chart as `/laporan/hemat.png`, `/laporan/koperasi.png` and so on
  (`usecases.report_charts`), shown on its page with its figures in words as alt text. A
  report page stays phone-sized over 10,000 coops (`bot.dashboard.pages.ROWS_SHOWN`): the
  coops page its counts per status and the coops that stopped, are new or never ordered,
  the prices page each product's latest round, the payments page the coops most owed; the
  files hold every row.

Every path but `/masuk` and `/masuk/…` needs a live session: without one the answer is a
403 page that says how to get a link (unknown paths too, so nothing is learnt without
signing in). Every answer forbids caching, framing, scripts and sending the address on
(`Referrer-Policy`), so a sign-in link never leaves the browser.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from aiohttp import web

from bot.config import DashboardConfig, OfficeConfig
from bot.dashboard.pages import Pages, coop_lists, first_rows
from handlers.contract.services import Services
from messages.replies import FileKind, FileRequest
from purchasing.model import RoundStatus
from purchasing.round_reports import PaymentReport
from usecases import dashboard, report_charts, reports
from usecases.dashboard import SignedIn

log = logging.getLogger(__name__)

BILL_DUE_DAYS = OfficeConfig().bill_due_days

COOKIE = "bb_sesi"
SIGN_IN_PREFIX = "/masuk/"
SIGNED_OUT = "/masuk"  # where signing out lands: how to sign in again
HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}
# The reports with a page and files: the path under /laporan/ → the report's name.
REPORT_PAGES = {"harga": "prices", "pemasok": "suppliers", "pembayaran": "payments"}
# Every report with files: the path under /laporan/ → the report's name.
FILE_PAGES = {"koperasi": "coops", **REPORT_PAGES}
# Every report with a chart: the path under /laporan/ → the report's name.
CHART_PAGES = {"hemat": "savings", **FILE_PAGES}
REPORT_KINDS = ("xlsx", "csv", "pdf")
REPORT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",
}
WHO = web.RequestKey("who", SignedIn)  # the signed-in admin, set by `_session`
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _download(path: Path) -> web.StreamResponse:
    response = web.FileResponse(path)
    response.headers["Content-Disposition"] = f'attachment; filename="{path.name}"'
    known = REPORT_TYPES.get(path.suffix.removeprefix("."))
    if known is not None:  # the server's mimetypes may not know .xlsx
        response.headers["Content-Type"] = known
    return response


class Dashboard:
    """The pages over one `Services` (database, clock, workbook writer) and `[dashboard]`."""

    def __init__(
        self,
        services: Services,
        settings: DashboardConfig,
        pages: Pages,
        *,
        bill_due_days: int = BILL_DUE_DAYS,
    ) -> None:
        self.services = services
        self.settings = settings
        self.pages = pages
        self.bill_due_days = bill_due_days  # `[office] bill_due_days`, for the payments report

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers, self._session], client_max_size=4096)
        app.router.add_get(SIGNED_OUT, self.signed_out)
        app.router.add_get("/masuk/{token}", self.sign_in_page)
        app.router.add_post("/masuk/{token}", self.sign_in)
        app.router.add_post("/keluar", self.sign_out)
        app.router.add_get("/", self.open_round)
        app.router.add_get("/putaran", self.rounds)
        app.router.add_get("/putaran/{round:[0-9]{1,9}}", self.round)
        app.router.add_get("/putaran/{round:[0-9]{1,9}}/tagihan", self.bills)
        app.router.add_get("/putaran/{round:[0-9]{1,9}}/buku-kerja.xlsx", self.workbook)
        app.router.add_get(
            "/putaran/{round:[0-9]{1,9}}/tagihan/{number:[A-Za-z0-9_-]{1,80}}.pdf", self.bill_pdf
        )
        app.router.add_get("/laporan/hemat", self.savings)
        app.router.add_get("/laporan/koperasi", self.coops)
        for path in REPORT_PAGES:
            app.router.add_get(f"/laporan/{path}", self.round_report)
        for path in FILE_PAGES:
            for kind in REPORT_KINDS:
                app.router.add_get(f"/laporan/{path}.{kind}", self.report_file)
        for path in CHART_PAGES:
            app.router.add_get(f"/laporan/{path}.png", self.report_chart)
        return app

    # -- what every answer goes through ------------------------------------------------------

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response = await handler(request)
        except web.HTTPException as error:  # aiohttp's own answers (405, a 404 of the router)
            error.headers.update(HEADERS)
            raise
        response.headers.update(HEADERS)
        return response

    @web.middleware
    async def _session(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        signing_in = request.path.startswith(SIGN_IN_PREFIX) or request.path == SIGNED_OUT
        if signing_in and request.match_info.http_exception is None:
            return await handler(request)  # a sign-in link, or signed out (else: 403 below)
        who = await dashboard.session(self.services, request.cookies.get(COOKIE, ""))
        if who is None:
            return self.page(None, "no_session", {}, status=403)
        request[WHO] = who
        try:
            return await handler(request)
        except web.HTTPNotFound:
            return self.page(who, "not_found", {}, status=404)

    def language(self, who: SignedIn | None) -> str:
        return (who.language if who else None) or self.services.default_language

    def page(
        self,
        who: SignedIn | None,
        name: str,
        context: Mapping[str, object],
        *,
        status: int = 200,
        menu: bool = True,
    ) -> web.Response:
        """Page `name` in `who`'s language, with the menu of pages for them (unless `menu`
        is False)."""
        shown = {**context, "who": who if menu else None}
        html = self.pages.render(name, self.language(who), shown)
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")

    # -- signing in and out --------------------------------------------------------------------

    async def sign_in_page(self, request: web.Request) -> web.StreamResponse:
        who = await dashboard.check_link(self.services, request.match_info["token"])
        if who is None:
            return self.page(None, "link_refused", {}, status=403)
        # Not signed in yet: the page greets them, but shows no menu of pages that answer 403.
        return self.page(who, "sign_in", {"action": request.path, "signing_in": who}, menu=False)

    async def sign_in(self, request: web.Request) -> web.StreamResponse:
        started = await dashboard.sign_in(
            self.services, request.match_info["token"], self.settings.session_hours
        )
        if started is None:
            return self.page(None, "link_refused", {}, status=403)
        log.info("dashboard: %s:%s signed in", started.who.platform, started.who.user_id)
        response = web.Response(status=303, headers={"Location": "/"})
        response.set_cookie(
            COOKIE,
            started.token,
            max_age=self.settings.session_hours * 3600,
            path="/",
            httponly=True,
            samesite="Lax",
            secure=self.settings.secure_cookie,
        )
        return response

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        await dashboard.sign_out(self.services, request.cookies.get(COOKIE, ""))
        response = web.Response(status=303, headers={"Location": SIGNED_OUT})
        response.del_cookie(COOKIE, path="/")
        return response

    async def signed_out(self, request: web.Request) -> web.StreamResponse:
        """Where signing out lands: "you have signed out", and how to sign in again."""
        if await dashboard.session(self.services, request.cookies.get(COOKIE, "")) is not None:
            return web.Response(status=303, headers={"Location": "/"})
        return self.page(None, "signed_out", {})

    # -- the pages -----------------------------------------------------------------------------

    async def open_round(self, request: web.Request) -> web.StreamResponse:
        recap = await dashboard.open_round(self.services)
        if recap is None:
            return self.page(request[WHO], "no_open_round", {})
        return self.page(request[WHO], "round", {"recap": recap, "live": True})

    async def rounds(self, request: web.Request) -> web.StreamResponse:
        found = await dashboard.all_rounds(self.services)
        return self.page(request[WHO], "rounds", {"rounds": found})

    async def round(self, request: web.Request) -> web.StreamResponse:
        recap = await dashboard.round_recap(self.services, int(request.match_info["round"]))
        if recap is None:
            raise web.HTTPNotFound()
        live = recap.round.status is RoundStatus.OPEN
        return self.page(request[WHO], "round", {"recap": recap, "live": live})

    async def bills(self, request: web.Request) -> web.StreamResponse:
        found = await dashboard.settlement(self.services, int(request.match_info["round"]))
        if found is None:
            raise web.HTTPNotFound()
        return self.page(request[WHO], "bills", {"settlement": found})

    async def workbook(self, request: web.Request) -> web.StreamResponse:
        round_id = int(request.match_info["round"])
        recap = await dashboard.round_recap(self.services, round_id)
        writer = self.services.round_workbook
        if recap is None or writer is None:
            raise web.HTTPNotFound()
        if recap.round.status not in (RoundStatus.OPEN, RoundStatus.CLOSED):
            raise web.HTTPNotFound()
        return _download(await writer(round_id, self.language(request[WHO])))

    async def bill_pdf(self, request: web.Request) -> web.StreamResponse:
        """One bill of the round (by its number, as the bills page lists it) as PDF."""
        found = await dashboard.settlement(self.services, int(request.match_info["round"]))
        number = request.match_info["number"]
        bill = next((b for b in found.bills if b.number == number), None) if found else None
        maker = self.services.round_file
        if bill is None or maker is None:
            raise web.HTTPNotFound()
        wanted = FileRequest(FileKind.BILL, bill.round_id, bill.coop_code, bill.supplier_code)
        return _download(await maker(wanted, self.language(request[WHO])))

    async def savings(self, request: web.Request) -> web.StreamResponse:
        report = await reports.savings(self.services.db, self.services.timezone)
        return self.page(request[WHO], "savings", self._with_chart(request, report, "hemat"))

    async def coops(self, request: web.Request) -> web.StreamResponse:
        report = await reports.coop_participation(self.services.db)
        context = self._with_chart(request, report, "koperasi")
        return self.page(
            request[WHO], "coops", {**context, "lists": coop_lists(report, self.pages.rows_shown)}
        )

    def _with_chart(
        self, request: web.Request, report: reports.AnyRoundReport, path: str
    ) -> dict[str, object]:
        """A report page's context: the report, and its chart's address and alt text."""
        alt = report_charts.alt_text(
            report, self.language(request[WHO]), zone=self.services.timezone
        )
        return {
            "report": report,
            "path": path,
            "chart": {"url": f"/laporan/{path}.png", "alt": alt},
        }

    async def _report(self, name: str) -> reports.AnyRoundReport:
        services = self.services
        if name == "savings":
            return await reports.savings(services.db, services.timezone)
        if name == "coops":
            return await reports.coop_participation(services.db)
        if name == "prices":
            return await reports.prices(services.db)
        if name == "suppliers":
            return await reports.suppliers(services.db, services.timezone)
        return await reports.payment_discipline(
            services.db, services.now(), self.bill_due_days, services.timezone
        )

    async def round_report(self, request: web.Request) -> web.StreamResponse:
        """The prices, suppliers or payments report, with links to its files."""
        path = request.path.removeprefix("/laporan/")
        name = REPORT_PAGES[path]
        report = await self._report(name)
        context = self._with_chart(request, report, path)
        if isinstance(report, PaymentReport):  # most owed first; the rest in the files
            context["shown"] = first_rows(report.coops, self.pages.rows_shown)
        return self.page(request[WHO], f"report_{name}", context)

    async def report_chart(self, request: web.Request) -> web.StreamResponse:
        """A report's chart as PNG, drawn afresh (on a worker thread) in the admin's language."""
        path = request.path.removeprefix("/laporan/").removesuffix(".png")
        report = await self._report(CHART_PAGES[path])
        png = await asyncio.to_thread(
            report_charts.chart_png,
            report, self.language(request[WHO]), None, self.services.timezone,
        )  # fmt: skip
        return web.Response(body=png, content_type="image/png")

    async def report_file(self, request: web.Request) -> web.StreamResponse:
        """One report as XLSX, CSV or PDF, made afresh in the admin's language."""
        path, _, kind = request.path.removeprefix("/laporan/").rpartition(".")
        name = FILE_PAGES[path]
        report = await self._report(name)
        with tempfile.TemporaryDirectory(prefix="laporan-") as folder:
            language = self.language(request[WHO])
            files = await reports.write_files(
                report, name, Path(folder), language, self.services.timezone
            )
            made = next(file for file in files if file.suffix == f".{kind}")
            body = made.read_bytes()
        return web.Response(
            body=body,
            content_type=REPORT_TYPES[kind],
            headers={"Content-Disposition": f'attachment; filename="{name}.{kind}"'},
        )
