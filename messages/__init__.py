"""Every sentence the bot says, as Jinja2 templates per language, and how they are rendered.

Templates live in `messages/templates/<lang>/<name>.j2` (lang = "id", "en"). Code names a
template and passes a context; `Renderer` turns it into Telegram HTML, WhatsApp text or plain
text. Filters: `rupiah`, `rupiah_cents`, `number`, `wib`, `wib_date`, `duration` (see
`messages.formatting`).
"""

from messages.formatting import DEFAULT_LANGUAGE, LANGUAGES, resolve_language
from messages.render import KeyedError, Renderer
from messages.splitting import split_message
from messages.styles import TextStyle

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "KeyedError",
    "Renderer",
    "TextStyle",
    "resolve_language",
    "split_message",
]
