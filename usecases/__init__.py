"""Use cases: one async function per intent, called alike by every entry point.

Setting a coop's quantities, creating, opening, extending, cancelling and closing a round,
inviting, joining and removing people, broadcasting, loading the catalog: each is one
function here that the chat handlers (Telegram, WhatsApp, console), the command line and the
scheduler's sweeps all call. A use case

- owns its transaction (`async with ctx.db.transaction() as tx:`), so a change and what it
  causes happen together or not at all;
- asks `purchasing/` for every decision, inside that transaction, and lets the domain error
  it raises travel up to whoever renders it (a rule is checked once, where it counts);
- writes through `storage/` (SQL only), passing it the transaction;
- queues the messages the change causes (`usecases.notices`: announcements, progress posts,
  bills, reminders) in the same transaction, so they exist if and only if the change does.

It imports `purchasing`, `storage` and `messages` (for the message values it queues), never
`handlers` or `bot`.
"""
