"""`/grafik` (alias /chart): the open round's progress chart, sent to the admin as a picture
file with its figures in the caption (`usecases.charts.progress_chart`). Admins only; with
no open round, a message saying so and how to see or start one."""

from __future__ import annotations

from handlers.admin.guard import admin_only
from handlers.contract.flow import Handler, Turn
from handlers.contract.services import Services
from messages.buttons import Verb
from messages.replies import Reply
from usecases.charts import progress_chart


@admin_only
async def show_chart(services: Services, turn: Turn) -> list[Reply]:
    chart = await progress_chart(services, turn.language)
    if chart is None:
        return [turn.reply("charts/progress_none")]
    return [chart.reply(turn.language)]


COMMANDS: dict[str, Handler] = {"grafik": show_chart, "chart": show_chart}
CALLBACKS: dict[Verb, Handler] = {}
