"""The fakes themselves, tested: the Bot API and Graph API fakes behave as the real servers
do where the bot depends on it, and nothing leaves 127.0.0.1."""
