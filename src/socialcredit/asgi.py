"""The application for several worker processes: settings from SOCIALCREDIT_* variables."""

from socialcredit.app import create_app
from socialcredit.services.packs.rulebook import load_book
from socialcredit.settings import database_url, packs_root

app = create_app(database_url(), load_book(None, packs_root()))
