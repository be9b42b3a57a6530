"""SQLite storage through aiosqlite: schema, migrations, queries and transactions.

`storage.database.Database` is the one connection of a process; every other module is
one concept (catalog, rounds, commitments, reps, invites, outbox, ...) with named async
functions that return values of `purchasing`. SQL lives only here.
"""
