"""The E-mail and Fax outputs against a real SMTP server on loopback (aiosmtpd).

Every test talks SMTP over a socket to aiosmtpd: STARTTLS and implicit TLS with a
certificate authority made in the test, AUTH LOGIN and PLAIN, refusals, dropped
connections. Nothing is mocked; the keyring test uses keyring's own backend API.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from smtp_server import Collector, free_port

from relances_xl.config import Settings
from relances_xl.letters import mail
from relances_xl.letters.outputs import OutputError

SENDER = "Société Exemple <compta@exemple.fr>"
PDF = b"%PDF-1.4\n% une lettre de relance\n%%EOF\n"
USER, PASSWORD = "compta", "s3cret-Ü"


class Authenticator:
    """Accepts USER/PASSWORD only and records the mechanism the client chose."""

    def __init__(self) -> None:
        self.mechanisms: list[str] = []

    def __call__(self, server, session, envelope, mechanism, auth_data):
        self.mechanisms.append(mechanism)
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
              and auth_data.password == PASSWORD.encode())
        return AuthResult(success=ok, handled=False, auth_data=USER if ok else None)


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@pytest.fixture(scope="module")
def client_tls(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "2022-07-27_1FR_CLI001_N2.pdf"
    path.write_bytes(PDF)
    return path


def plain(controller: Controller, **kwargs: Any) -> mail.SmtpSettings:
    return mail.SmtpSettings("127.0.0.1", controller.port, "aucun", **kwargs)


def test_letter_arrives_with_recipient_subject_body_and_attachment(smtp_server, letter):
    handler = Collector()
    server = smtp_server(handler)
    subject, body = mail.letter_mail_text("FR", "Société Générale d'Exemple", 2)
    message = mail.build_message(SENDER, "client@exemple.com", subject, body, letter)
    with mail.Mailer(plain(server)) as mailer:
        mailer.send(message)
    (mail_from, rcpt_tos, _, _, _), = handler.envelopes
    assert (mail_from, rcpt_tos) == ("compta@exemple.fr", ["client@exemple.com"])
    received = handler.message()
    assert received["Subject"] == "Relance n° 2 - factures impayées - Société Générale d'Exemple"
    assert received["Message-ID"].endswith("@exemple.fr>") and received["Date"]
    assert "ne sont pas réglées" in received.get_body(("plain",)).get_content()
    (attachment,) = received.iter_attachments()
    assert attachment.get_filename() == letter.name
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF


def test_one_connection_for_a_run_and_a_refusal_fails_that_message_only(smtp_server, letter):
    handler = Collector(refuse=frozenset({"inconnu@exemple.com"}))
    server = smtp_server(handler)
    with mail.Mailer(plain(server)) as mailer:
        with pytest.raises(OutputError, match=r"inconnu@exemple\.com refusé.*550"):
            mailer.send(mail.build_message(SENDER, "inconnu@exemple.com", "R1", "x", letter))
        with pytest.raises(OutputError, match=r"message à autre@exemple\.com refusé.*554"):
            mailer.send(mail.build_message(SENDER, "autre@exemple.com", "VIRUS", "x", letter))
        mailer.send(mail.build_message(SENDER, "client@exemple.com", "R2", "x", letter))
    assert [e[1] for e in handler.envelopes] == [["client@exemple.com"]]
    assert len(handler.ehlo) == 1


def test_starttls_with_the_company_ca_file_and_login(smtp_server, server_tls, ca, letter,
                                                      tmp_path):
    handler, auth = Collector(), Authenticator()
    server = smtp_server(handler, tls_context=server_tls, require_starttls=True,
                         authenticator=auth, auth_required=True, auth_require_tls=True)
    cafile = tmp_path / "ca-societe.pem"
    ca.cert_pem.write_to_path(str(cafile))
    settings = mail.SmtpSettings("127.0.0.1", server.port, "starttls", USER, PASSWORD,
                                 cafile=str(cafile))
    with mail.Mailer(settings) as mailer:
        mailer.send(mail.build_message(SENDER, "client@exemple.com", "R", "x", letter))
    (_, _, _, over_tls, auth_data), = handler.envelopes
    assert over_tls and auth_data == USER


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_auth_mechanisms_right_and_wrong_password(smtp_server, server_tls, client_tls, letter,
                                                  mechanism):
    handler, auth = Collector(), Authenticator()
    other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
    server = smtp_server(handler, tls_context=server_tls, require_starttls=True,
                         authenticator=auth, auth_required=True,
                         auth_exclude_mechanism=[other])
    good = mail.SmtpSettings("127.0.0.1", server.port, "starttls", USER, PASSWORD,
                             ssl_context=client_tls)
    with mail.Mailer(good) as mailer:
        mailer.send(mail.build_message(SENDER, "client@exemple.com", "R", "x", letter))
    with pytest.raises(OutputError, match=r"« compta » ou mot de passe refusé.*535"):
        mail.Mailer(replace(good, password="faux")).connect()
    assert auth.mechanisms == [mechanism, mechanism]
    assert len(handler.envelopes) == 1


def test_no_login_over_a_clear_connection(smtp_server, letter):
    """A server that offers AUTH only after TLS: the settings say "aucun", so refuse."""
    server = smtp_server(Collector(), authenticator=Authenticator(), auth_require_tls=True)
    with pytest.raises(OutputError, match="STARTTLS ou authentification"):
        mail.Mailer(plain(server, user=USER, password=PASSWORD)).connect()


def test_implicit_tls(smtp_server, server_tls, client_tls, letter):
    handler = Collector()
    server = smtp_server(handler, ssl_context=server_tls)
    settings = mail.SmtpSettings("127.0.0.1", server.port, "ssl", ssl_context=client_tls)
    with mail.Mailer(settings) as mailer:
        mailer.send(mail.build_message(SENDER, "client@exemple.com", "R", "x", letter))
    assert handler.envelopes[0][3]  # the whole session was encrypted


def test_untrusted_certificate_is_refused(smtp_server, server_tls, letter):
    server = smtp_server(Collector(), tls_context=server_tls)
    with pytest.raises(OutputError, match=r"connexion chiffrée impossible.*certificat"):
        mail.Mailer(mail.SmtpSettings("127.0.0.1", server.port, "starttls")).connect()


def test_connection_dropped_while_idle_is_reopened_once(smtp_server, letter):
    handler = Collector()
    server = smtp_server(handler, timeout=0.3)  # the server hangs up idle clients
    with mail.Mailer(plain(server)) as mailer:
        mailer.send(mail.build_message(SENDER, "a@exemple.com", "R1", "x", letter))
        time.sleep(1.0)
        mailer.send(mail.build_message(SENDER, "b@exemple.com", "R2", "x", letter))
    assert [e[1] for e in handler.envelopes] == [["a@exemple.com"], ["b@exemple.com"]]
    assert len(handler.ehlo) == 2


def test_server_that_keeps_dropping_gives_up_after_one_retry(smtp_server, letter):
    handler = Collector(drop=True)
    server = smtp_server(handler)
    with mail.Mailer(plain(server)) as mailer, \
            pytest.raises(OutputError, match="connexion coupée"):
        mailer.send(mail.build_message(SENDER, "a@exemple.com", "R1", "x", letter))
    assert handler.data_attempts == 2 and handler.envelopes == []


def test_silent_server_times_out():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        settings = mail.SmtpSettings("127.0.0.1", silent.getsockname()[1], "aucun")
        started = time.monotonic()
        with pytest.raises(OutputError, match=r"pas de réponse après 0\.5 s"):
            mail.Mailer(settings, timeout=0.5).connect()
        assert time.monotonic() - started < 5


def test_nothing_listening_is_a_clear_error():
    with pytest.raises(OutputError, match="connexion impossible"):
        mail.Mailer(mail.SmtpSettings("127.0.0.1", free_port(), "aucun")).connect()


@pytest.mark.parametrize(("sender", "recipient", "subject"), [
    (SENDER, "client@exemple.com\r\nBcc: espion@exemple.net", "R"),
    (SENDER, "client@exemple.com\nBcc: espion@exemple.net", "R"),
    ("Compta\r\nBcc: espion@exemple.net <compta@exemple.fr>", "client@exemple.com", "R"),
    (SENDER, "Client\x00 <client@exemple.com>", "R"),
    (SENDER, "client@exemple.com", "Relance\r\nBcc: espion@exemple.net"),
    (SENDER, "client@exemple.com", "Relance\u2028suite"),
    (SENDER, "client@exemple.com, autre@exemple.com", "R"),
    (SENDER, "pas une adresse", "R"),
    (SENDER, "", "R"),
    ("compta@", "client@exemple.com", "R"),
])
def test_header_injection_and_bad_addresses_are_refused(sender, recipient, subject, letter):
    with pytest.raises(OutputError, match="E-mail"):
        mail.build_message(sender, recipient, subject, "corps", letter)


def workbook_settings(**other: str) -> Settings:
    values = {"smtp_hote": "127.0.0.1", "smtp_port": "587", "smtp_tls": "starttls",
              "smtp_utilisateur": USER, **other}
    return Settings(levels=(), other=tuple(values.items()))


def memory_keyring(passwords: dict[tuple[str, str], str]) -> object:
    """A keyring backend in memory, to install through keyring's public API."""
    import keyring.backend

    class MemoryKeyring(keyring.backend.KeyringBackend):
        priority = 1

        def get_password(self, service, username):
            return passwords.get((service, username))

        def set_password(self, service, username, password):
            passwords[(service, username)] = password

        def delete_password(self, service, username):
            passwords.pop((service, username), None)

    return MemoryKeyring()


@pytest.fixture
def system_keyring() -> Iterator[Callable[[object], None]]:
    """keyring.set_keyring for this test only (keyring is optional: skip without it)."""
    keyring = pytest.importorskip("keyring")
    before = keyring.get_keyring()
    yield keyring.set_keyring
    keyring.set_keyring(before)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """No usable keyring, as on a server: keyring's "fail" backend, or keyring absent."""
    try:
        import keyring
        from keyring.backends.fail import Keyring as NoKeyring
    except ImportError:
        yield
        return
    before = keyring.get_keyring()
    keyring.set_keyring(NoKeyring())
    yield
    keyring.set_keyring(before)


def test_password_from_env_never_from_the_workbook(no_keyring):
    settings = workbook_settings(smtp_mot_de_passe="dans-le-classeur",
                                 smtp_password="dans-le-classeur")
    assert mail.smtp_settings(settings, {}).password is None
    from_env = mail.smtp_settings(settings, {mail.PASSWORD_ENV: PASSWORD})
    assert (from_env.host, from_env.port, from_env.tls, from_env.user) == \
        ("127.0.0.1", 587, "starttls", USER)
    assert from_env.password == PASSWORD
    assert PASSWORD not in repr(from_env)


def test_password_from_the_system_keyring_env_first(system_keyring):
    system_keyring(memory_keyring({("relances_xl", USER): "du-trousseau"}))
    settings = workbook_settings()
    assert mail.smtp_settings(settings, {}).password == "du-trousseau"
    assert mail.smtp_settings(settings, {mail.PASSWORD_ENV: "env"}).password == "env"


def test_env_password_logs_in_end_to_end(smtp_server, server_tls, client_tls, letter,
                                         no_keyring):
    handler = Collector()
    server = smtp_server(handler, tls_context=server_tls, authenticator=Authenticator(),
                         auth_required=True)
    settings = workbook_settings(smtp_port=f"{server.port}.0")  # as Excel hands numbers over
    with pytest.raises(OutputError, match=f"aucun mot de passe.*{mail.PASSWORD_ENV}"):
        mail.Mailer(replace(mail.smtp_settings(settings, {}), ssl_context=client_tls)).connect()
    smtp = replace(mail.smtp_settings(settings, {mail.PASSWORD_ENV: PASSWORD}),
                   ssl_context=client_tls)
    with mail.Mailer(smtp) as mailer:
        mailer.send(mail.build_message(SENDER, "client@exemple.com", "R", "x", letter))
    assert handler.envelopes[0][4] == USER


@pytest.mark.parametrize(("other", "message"), [
    ({"smtp_hote": "  "}, "« SMTP hôte » est vide"),
    ({"smtp_port": "vingt-cinq"}, "n'est pas un port"),
    ({"smtp_port": "70000"}, "n'est pas un port"),
    ({"smtp_tls": "tls"}, "starttls, ssl, aucun"),
])
def test_bad_smtp_settings_are_named(other, message):
    with pytest.raises(OutputError, match=message):
        mail.smtp_settings(workbook_settings(**other), {})


def test_default_ports_follow_the_tls_mode():
    ports = {tls: mail.smtp_settings(workbook_settings(smtp_tls=tls.upper(), smtp_port=""),
                                     {}).port for tls in mail.TLS_MODES}
    assert ports == {"starttls": 587, "ssl": 465, "aucun": 25}


@pytest.mark.parametrize(("number", "expected"), [
    ("+33 (0)1 23 45 67 89", "+33123456789@fax.exemple.fr"),
    ("01.23.45.67.89", "0123456789@fax.exemple.fr"),
    ("(01) 23-45-67-89", "0123456789@fax.exemple.fr"),
    ("+49 30 1234/5678", "+493012345678@fax.exemple.fr"),
])
def test_fax_address(number, expected):
    assert mail.fax_address(number, "fax.exemple.fr") == expected
    assert mail.fax_address(number, " @fax.exemple.fr ") == expected


@pytest.mark.parametrize(("number", "gateway", "message"), [
    ("01 23 45 67 89", "", "Passerelle fax"),
    ("01 23 45 67 89", "fax exemple.fr", "n'est pas un nom de domaine"),
    ("", "fax.exemple.fr", "n'est pas un numéro"),
    ("- . ()", "fax.exemple.fr", "n'est pas un numéro"),
    ("01 23 45 67 89 poste 12", "fax.exemple.fr", "n'est pas un numéro"),
    ("01\r\nBcc: x@y.fr", "fax.exemple.fr", "n'est pas un numéro"),
])
def test_fax_address_errors(number, gateway, message):
    with pytest.raises(OutputError, match=f"(?s)Fax : .*{message}"):
        mail.fax_address(number, gateway)


def test_fax_goes_to_the_gateway(smtp_server, letter):
    handler = Collector()
    server = smtp_server(handler)
    recipient = mail.fax_address("+33 (0)1 23 45 67 89", "fax.exemple.fr")
    with mail.Mailer(plain(server)) as mailer:
        mailer.send(mail.build_message(SENDER, recipient, "Relance", "", letter))
    assert handler.envelopes[0][1] == ["+33123456789@fax.exemple.fr"]
    (attachment,) = handler.message().iter_attachments()
    assert attachment.get_content() == PDF


def test_mail_texts_per_language():
    fr = mail.letter_mail_text("FR", "Exemple SA", 1)
    assert fr[0] == "Relance n° 1 - factures impayées - Exemple SA"
    assert mail.letter_mail_text("en", "Exemple SA", 2)[0].startswith("Payment reminder no. 2")
    assert "Sehr geehrte" in mail.letter_mail_text("DE", "Exemple SA", 3)[1]
    assert mail.letter_mail_text("IT", "Exemple SA", 1) == fr
    assert mail.letter_mail_text("", "Exemple SA", 1) == fr
    subject, body = mail.letter_mail_text("FR", "Exemple\r\nBcc: x@y.fr", 1)
    assert "\n" not in subject and "\r" not in subject
    assert body.endswith("Exemple Bcc: x@y.fr\n")


@pytest.mark.parametrize(("langue", "one", "several"), [
    ("FR", ("facture impayée -", "une facture n'est pas réglée à ce jour"),
     ("factures impayées -", "des factures ne sont pas réglées à ce jour")),
    ("EN", ("unpaid invoice -", "an invoice is not settled."),
     ("unpaid invoices -", "some invoices are not settled.")),
    ("DE", ("offene Rechnung -", "ist noch eine Rechnung offen."),
     ("offene Rechnungen -", "sind noch Rechnungen offen.")),
])
def test_a_mail_for_one_invoice_speaks_of_one(langue, one, several):
    for count, (subject_words, body_words) in ((1, one), (2, several), (0, several)):
        subject, body = mail.letter_mail_text(langue, "Exemple SA", 1, count)
        assert subject_words in subject and body_words in body, (count, subject, body)
