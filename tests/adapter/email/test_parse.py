"""Reading any mail: charsets, encoded headers, broken MIME, odd subjects, HTML-only, attachments only."""
from __future__ import annotations

import pytest

from bot.email.loops import automatic, bounce
from bot.email.parse import read_mail
from bot.email.quotes import clean_subject, strip_reply, subject_tags
from tests.adapter.email.mails import mail, parsed


@pytest.mark.parametrize("charset,text", [
    ("windows-1252", "Café “quoted” – dash €"),
    ("iso-8859-1", "Grüße aus Köln"),
    ("iso-2022-jp", "プリンターが壊れました"),
    ("gb2312", "打印机坏了"),
    ("utf-8", "Printer rusak 🙏"),
])
def test_any_charset_python_knows(charset, text):
    raw = (f"From: a@x.example\r\nTo: it@corp.example\r\nSubject: test\r\nMessage-ID: <1@x>\r\n"
           f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset={charset}\r\n"
           "Content-Transfer-Encoding: 8bit\r\n\r\n").encode() + text.encode(charset) + b"\r\n"
    assert read_mail(raw).text == text


def test_rfc2047_headers_and_unknown_charset_do_not_break_reading():
    raw = (b"From: =?utf-8?q?Budi_Santoso?= <Budi@Corp.Example>\r\nTo: it@corp.example\r\n"
           b"Subject: =?iso-8859-1?q?Gr=FC=DFe?= =?utf-8?b?8J+Zjw==?=\r\nMessage-ID: <2@x>\r\n"
           b"Content-Type: text/plain; charset=x-unknown-42\r\n\r\nhello \xff world\r\n")
    got = read_mail(raw)
    assert (got.sender, got.sender_name, got.subject) == ("budi@corp.example", "Budi Santoso", "Grüße🙏")
    assert got.text.startswith("hello") and got.text.endswith("world")


def test_broken_mime_is_read_as_far_as_it_goes():
    raw = (b"From: a@x.example\r\nTo: it@corp.example\r\nSubject: broken\r\nMessage-ID: <3@x>\r\n"
           b"Content-Type: multipart/mixed; boundary=\"nope\"\r\n\r\nno boundary ever comes\r\n")
    got = read_mail(raw)
    assert got.subject == "broken" and got.message_id == "3@x"
    assert read_mail(b"\x00\xff garbage without headers").message_id.endswith("@tiket.invalid")


def test_missing_subject_and_very_long_subject():
    assert clean_subject(parsed(mail(subject=None)).subject) == ""
    long = "Laptop " * 800  # 5,600 characters
    got = parsed(mail(subject=long))
    assert clean_subject(got.subject).startswith("Laptop Laptop") and len(got.subject) > 5000


def test_html_only_mail_becomes_readable_text():
    html = ("<html><head><style>p{color:red}</style></head><body><p>Hello&nbsp;team,</p>"
            "<div>VPN <b>drops</b> every hour.<br>Since Monday.</div><ul><li>Windows</li><li>Mac</li></ul>"
            "<script>alert(1)</script></body></html>")
    text = parsed(mail(body=None, html=html)).text
    assert "Hello team," in text and "VPN drops every hour.\nSince Monday." in text and "- Windows" in text
    assert "alert" not in text and "color" not in text


def test_attachment_only_mail_and_the_attachment_limit():
    msg = mail(body="")
    msg.add_attachment(b"%PDF-1.4 tiny", maintype="application", subtype="pdf", filename="invoice.pdf")
    msg.add_attachment(b"x" * 2000, maintype="image", subtype="png", filename="screen shot.png")
    got = read_mail(msg.as_bytes(), max_attachment=1000)
    assert [(a.name, a.content_type, a.size) for a in got.attachments] == [
        ("invoice.pdf", "application/pdf", 13), ("screen shot.png", "image/png", 2000)]
    assert got.attachments[0].data == b"%PDF-1.4 tiny" and got.attachments[1].data is None  # over the limit


def test_subject_prefixes_and_tags():
    assert clean_subject("RE: Fwd: FW: Balas: Tr: AW: [IT-42] Printer rusak") == "Printer rusak"
    assert clean_subject("Re[2]: Re: hello") == "hello"
    assert subject_tags("Re: [it-42] and [HR-7]") == ["IT-42", "HR-7"]


@pytest.mark.parametrize("body,expected", [
    ("Works now.\n\nOn Mon, 23 Nov 2026 at 09:15, IT Helpdesk <helpdesk@corp.example> wrote:\n> old", "Works now."),
    ("Sudah bisa.\n\nPada Sen, 23 Nov 2026 pukul 09.15, IT Helpdesk <helpdesk@corp.example>\nmenulis:\n> lama",
     "Sudah bisa."),
    ("Still broken.\n\n-----Original Message-----\nFrom: IT\nSent: Monday\n\nold", "Still broken."),
    ("Still broken.\n\nFrom: IT Helpdesk <helpdesk@corp.example>\nSent: Monday, 23 November 2026 09:15\n"
     "To: Budi\nSubject: RE: [IT-1] Printer\n\nold text", "Still broken."),
    ("Masih rusak.\n\nDari: IT Helpdesk\nDikirim: Senin, 23 November 2026\nKepada: Budi\n\nteks lama", "Masih rusak."),
    ("Thanks!\n\n-- \nBudi Santoso\nFinance", "Thanks!"),
    ("ok\n\nSent from my iPhone", "ok"),
    ("5", "5"),
])
def test_quoted_text_and_signatures_are_removed(body, expected):
    assert strip_reply(body) == expected


@pytest.mark.parametrize("headers,sender", [
    ({"Auto-Submitted": "auto-replied"}, "budi@corp.example"),
    ({"Precedence": "bulk"}, "budi@corp.example"),
    ({"Precedence": "junk"}, "budi@corp.example"),
    ({"X-Auto-Response-Suppress": "All"}, "budi@corp.example"),
    ({"List-Id": "<news.corp.example>"}, "budi@corp.example"),
    ({}, "MAILER-DAEMON@corp.example"),
    ({}, "postmaster@corp.example"),
    ({}, "noreply@vendor.example"),
])
def test_automatic_mail_is_recognised(headers, sender):
    assert automatic(parsed(mail(sender=sender, headers=headers)), "corp.example") is not None


def test_a_person_is_not_automatic_and_tikets_own_mail_is():
    assert automatic(parsed(mail(headers={"Auto-Submitted": "no"})), "tiket.example") is None
    own = mail(message_id="<tiket.5.it-1@tiket.example>")
    assert automatic(parsed(own), "tiket.example") == "Tiket's own mail"


def test_a_delivery_status_notification_names_the_mail_and_the_reason():
    from tests.adapter.email.test_loops import dsn

    got = bounce(parsed(dsn("tiket.9.it-1@corp.example", "budi@nowhere.example")))
    assert got.original_id == "tiket.9.it-1@corp.example" and got.recipient == "budi@nowhere.example"
    assert got.status == "5.1.1" and "does not exist" in got.reason
