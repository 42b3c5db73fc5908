"""The reader notifies a config value it could not use, and opens with the default."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import main_screen, reader, settle
from textual.app import Notify

from reader.config import DEFAULT_MAX_FILE_BYTES


async def test_reader_notifies_a_huge_max_file_bytes_and_loads(isolated_paths: Path) -> None:
    (isolated_paths / "config.toml").write_text(f"max_file_bytes = {2**63 - 1}\n")
    app = reader()
    notices: list[str] = []

    def record(message: object) -> None:
        if isinstance(message, Notify):
            notices.append(message.notification.message)

    async with app.run_test(size=(160, 45), message_hook=record) as pilot:
        await settle(pilot)
        assert any("'max_file_bytes' should be between" in m for m in notices)
        assert app.settings.max_file_bytes == DEFAULT_MAX_FILE_BYTES
        assert main_screen(app).book.articles
