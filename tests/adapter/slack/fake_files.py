"""FakeSlack's shared files (issue 15): `files` entries of message events, served at url_private
to the bot token only, each download recorded as a `file_download` call."""
from __future__ import annotations


class FilesMixin:
    def add_file(self, file_id: str, name: str, data: bytes, mimetype: str) -> dict:
        """A file shared in a message: the `files` entry of its event (url_private served by serve_file)."""
        self.files[file_id], url = data, f"{self.base}/files-pri/{file_id}/{name}"
        return {"id": file_id, "name": name, "mimetype": mimetype, "size": len(data), "url_private": url}

    def serve_file(self, handler, path: str, token: str) -> None:
        from tests.adapter.slack.fake_slack import Call

        data = self.files.get(path.split("/")[2]) if token == "xoxb-test" else None
        with self._cond:
            self.calls.append(Call("file_download", {"path": path}, token))
            self._cond.notify_all()
        handler.send_response(200 if data is not None else 403)
        handler.send_header("Content-Length", str(len(data or b"")))
        handler.end_headers()
        handler.wfile.write(data or b"")
