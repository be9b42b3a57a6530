"""Files in the fake Bot API: documents users (and the bot) sent, `getFile`, the download.

As in Telegram: `getFile` answers a `file_path` for a known `file_id` ("invalid file_id"
otherwise), refuses files over 20 MB with "file is too big", and only a path `getFile`
handed out can be downloaded, at base_file_url + token + "/" + file_path.
"""

from tests.support.fake_telegram.chats import document_json
from tests.support.fake_telegram.wire import UploadedFile, bad_request

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, UploadedFile] = {}
        self._by_path: dict[str, UploadedFile] = {}
        self.downloads: list[str] = []  # every file_path served, in order

    def add(self, document: UploadedFile) -> None:
        self._by_id[str(document_json(document)["file_id"])] = document

    def get_file(self, file_id: object) -> dict[str, object]:
        document = self._by_id.get(str(file_id)) if isinstance(file_id, str) else None
        if document is None:
            raise bad_request("invalid file_id")
        if len(document.content) > MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        found = document_json(document)
        suffix = document.filename.rpartition(".")[2] if "." in document.filename else ""
        path = f"documents/file_{len(self._by_path)}" + (f".{suffix}" if suffix else "")
        self._by_path[path] = document
        return {
            "file_id": found["file_id"],
            "file_unique_id": found["file_unique_id"],
            "file_size": found["file_size"],
            "file_path": path,
        }

    def download(self, file_path: str) -> UploadedFile | None:
        """The file at a path `getFile` handed out (None: Telegram answers 404)."""
        document = self._by_path.get(file_path)
        if document is not None:
            self.downloads.append(file_path)
        return document
