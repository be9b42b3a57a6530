"""The WhatsApp transport: the Cloud API (through pywa's async client) wired to the handlers.

`running.connect_whatsapp` opens the Graph API client and gives the outbox transport and the
`wa.me` invite link; `running.serve_whatsapp` answers Meta's webhook. Webhook bodies become
`handlers.contract.events.IncomingEvent` values in inbound.py and adapter.py; replies become reply
buttons, lists or numbered text in rendering.py; proactive messages respect the 24-hour
window and the daily limit in transport.py (what waits for a place of the limit: waiting.py).
See docs/whatsapp.md.

Nothing is imported here, so `bot.config` may use `bot.whatsapp.settings` without loading pywa.
"""
