"""The console transport: `belanja-bareng demo`, the bot as a chat in a terminal (docs/demo.md)."""
