"""Sample contexts for every template, one module per part of the bot: rendered in every
language by tests/messages/test_templates_render_all.py."""
