"""The form and the status page in a real browser: Debian's chromium driven by Playwright (launched at
Debian's binary, nothing downloaded), against the app served by uvicorn on a loopback port.

In Indonesian: submit the form with an error, then correctly; open the status link; reply; an agent
resolves the ticket in the console (the real Console and CommandRunner); the requester rates it."""
from __future__ import annotations

import io
import shutil
import socket
import threading

import pytest

from tests.adapter.web.conftest import web_directory, web_settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                "(scripts/debian-packages installs it)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def served(db_url, engine, clock, directory):
    import uvicorn

    from bot.web.factory import make_web_app
    from config.wiring import build

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    container = build(web_settings(db_url, base_url=base), clock=clock, directory=web_directory(directory),
                      platforms=frozenset({"console"}), migrate=False, engine=engine)
    server = uvicorn.Server(uvicorn.Config(make_web_app(container), host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    started = threading.Event()
    for _ in range(500):  # until the socket accepts (bounded)
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            started.set()
            break
        except OSError:
            started.wait(0.01)
    assert started.is_set(), "server did not start"
    yield base, container
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-dev-shm-usage"])
        context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})  # a phone
        yield context.new_page()
        browser.close()


def console(container, *lines: str) -> str:
    from bot.console.app import Console

    out = io.StringIO()
    Console(container, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out, user="andi",
            interactive=False).run()
    return out.getvalue()


def test_a_requester_files_follows_replies_and_rates_in_indonesian(served, page):
    base, container = served
    page.goto(f"{base}/")
    page.get_by_role("link", name="IT Helpdesk").click()
    assert page.locator("html").get_attribute("lang") == "id"
    page.get_by_label("Jelaskan apa yang Anda perlukan").fill("Layar hitam sejak pagi")
    page.get_by_label("Kategori").select_option("hardware")
    page.get_by_label("Nama Anda").fill("Budi Santoso")
    page.get_by_label("Alamat email Anda").fill("budi@example.com")
    page.get_by_role("button", name="Kirim permintaan").click()

    summary = page.locator("#error-summary")
    assert summary.is_visible() and "Isi judul." in summary.inner_text()
    assert page.get_by_label("Nama Anda").input_value() == "Budi Santoso"  # values kept
    assert page.get_by_label("Jelaskan apa yang Anda perlukan").input_value() == "Layar hitam sejak pagi"
    page.get_by_label("Judul").fill("Laptop tidak mau menyala")
    page.get_by_role("button", name="Kirim permintaan").click()

    assert "Permintaan Anda IT-1" in page.locator("h1").inner_text()
    page.locator("#status-link").click()
    assert "Laptop tidak mau menyala" in page.locator("h1").inner_text()
    assert page.locator("#ticket-status").inner_text() == "baru"

    page.get_by_label("Balasan Anda").fill("Sudah saya coba cabut baterai, tetap mati")
    page.get_by_role("button", name="Kirim balasan").click()
    assert "tetap mati" in page.locator("section").inner_text()

    said = console(container, "/ticket claim IT-1", "/ticket resolve IT-1 ganti adaptor")
    assert "IT-1" in said
    page.reload()
    assert page.locator("#ticket-status").inner_text() == "selesai"
    page.get_by_label("5").check()
    page.get_by_label("Komentar (boleh kosong)").fill("Cepat sekali, terima kasih")
    page.get_by_role("button", name="Kirim penilaian").click()
    assert page.locator("#rated").inner_text() == "Terima kasih atas penilaian Anda."

    view = container.queries.show(__import__("tickets.teams", fromlist=["Actor"]).Actor("console:andi"), "IT-1")
    assert view.ticket.status.value == "resolved" and view.ticket.requester == "email:budi@example.com"
    assert [c.body for c in view.comments if c.kind == "comment"] == ["Sudah saya coba cabut baterai, tetap mati"]
    with container.uow() as uow:
        assert uow.has_rating(view.ticket.id, 1)
