"""The purchasing domain: rounds, price tiers, allocation and the close outcome.

Pure rules in the words of DESIGN.md. Nothing here imports telegram, pywa, aiosqlite,
jinja2 or any other layer of Belanja Bareng; everything is tested without I/O.
"""
