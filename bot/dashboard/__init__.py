"""The read-only web dashboard for the Dinas: the open round live, past rounds, settlement,
reports and the round's workbook, served by `belanja-bareng run` in the same process and
database (`[dashboard]` in the config; docs/deploy.md puts it behind the reverse proxy).

- `pages`: the Jinja2 environment of the HTML pages (bot/dashboard/templates/<lang>/, apart
  from the chat's templates; autoescaped, every visible sentence in a template).
- `app`: the aiohttp application: sign-in by a chat link, the session check in front of
  every other path, the pages.
- `serving`: running it until the bot stops, or for the console demo on a free port.

Sign-in and sessions are `usecases.dashboard`; the pages read through use cases only.
"""
