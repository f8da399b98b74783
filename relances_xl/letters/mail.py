"""The E-mail and Fax outputs: the SMTP settings, the message, one connection per run.

A fax goes out as an e-mail to the company's fax gateway (`<number>@<domain>`), so
both outputs share this module. The SMTP password never lives in the workbook,
which is mailed around and kept for years: it comes from the environment or the
system keyring. Addresses come from the `Clients` sheet, so anything that could
smuggle a header in (a line break in a name) is refused. One letter that fails
(an unknown recipient) raises `OutputError` for that letter only; the caller goes
on with the others on the same connection.
"""

from __future__ import annotations

import base64
import os
import re
import smtplib
import ssl
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid
from pathlib import Path
from types import TracebackType

from ..config import Settings
from .outputs import OutputError

PASSWORD_ENV = "RELANCES_SMTP_PASSWORD"
CAFILE_ENV = "RELANCES_SMTP_CAFILE"  # a company's own certificate authority (PEM)
KEYRING_SERVICE = "relances_xl"
TLS_MODES = ("starttls", "ssl", "aucun")
_DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "aucun": 25}


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the company's SMTP server. The password is kept out of `repr`."""

    host: str
    port: int
    tls: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    cafile: str | None = None
    ssl_context: ssl.SSLContext | None = field(default=None, compare=False, repr=False)
    timeout: float = 30.0

    def tls_context(self) -> ssl.SSLContext:
        """The given context, else the system's trust store plus `cafile` if any."""
        if self.ssl_context is not None:
            return self.ssl_context
        return ssl.create_default_context(cafile=self.cafile or None)


def smtp_settings(settings: Settings, environ: Mapping[str, str] = os.environ) -> SmtpSettings:
    """SmtpSettings from the `Paramètres` sheet, the password from env or keyring."""
    values = dict(settings.other)
    host = values.get("smtp_hote", "").strip()
    if not host:
        raise OutputError("E-mail : le paramètre « SMTP hôte » est vide dans la feuille "
                          "Paramètres ; indiquez le serveur d'envoi de la société.")
    tls = values.get("smtp_tls", "").strip().casefold() or "starttls"
    if tls not in TLS_MODES:
        raise OutputError(f"E-mail : « SMTP TLS » vaut « {values['smtp_tls']} » ; "
                          f"valeurs possibles : {', '.join(TLS_MODES)}.")
    port = _port(values.get("smtp_port", ""), tls)
    user = values.get("smtp_utilisateur", "").strip() or None
    password = environ.get(PASSWORD_ENV) or (_keyring_password(user) if user else None)
    cafile = environ.get(CAFILE_ENV) or None
    return SmtpSettings(host, port, tls, user, password, cafile)


def _port(text: str, tls: str) -> int:
    text = text.strip()
    if not text:
        return _DEFAULT_PORTS[tls]
    try:
        number = float(text.replace(",", "."))  # Excel may hand over 587.0
    except ValueError:
        number = -1.0
    if not number.is_integer() or not 0 < number < 65536:
        raise OutputError(f"E-mail : « SMTP port » vaut « {text} », qui n'est pas un port.")
    return int(number)


def _keyring_password(user: str) -> str | None:
    """The system keyring's password for `user`, None when keyring is absent or unusable."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, user)
    except Exception:  # no backend, locked store, no D-Bus: all mean "no password here"
        return None


# --- the message ---------------------------------------------------------------------

_ADDRESS = re.compile(r"[^@\s\"(),:;<>\[\]\\]+@[^@\s\"(),:;<>\[\]\\.]+(\.[^@\s\"(),:;<>\[\]\\.]+)+")
_DOMAIN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                     r"[A-Za-z0-9])?)+")


def _no_controls(what: str, text: str) -> None:
    """A header value with a line break or control character could add headers."""
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        raise OutputError(f"E-mail : {what} contient un saut de ligne ou un caractère de "
                          f"contrôle ({text!r}) ; message refusé.")


def _address(what: str, text: str) -> str:
    """`text` ("Nom <a@b.fr>" or "a@b.fr") if it is one plausible address."""
    _no_controls(what, text)
    found = getaddresses([text])
    if len(found) != 1 or not _ADDRESS.fullmatch(found[0][1]):
        raise OutputError(f"E-mail : {what} « {text} » n'est pas une adresse valide.")
    return text.strip()


def build_message(sender: str, recipient: str, subject: str, body: str,
                  attachment: Path, copies: Sequence[Path] = ()) -> EmailMessage:
    """One letter as an e-mail: the text, the PDF attached under its own file name, then
    each invoice copy as its own attachment (envelope.py), all within MAX_MESSAGE_BYTES."""
    sender = _address("l'expéditeur", sender)
    recipient = _address("le destinataire", recipient)
    _no_controls("l'objet", subject)
    attachment = Path(attachment)
    _no_controls("le nom de la pièce jointe", attachment.name)
    try:
        data = attachment.read_bytes()
    except OSError as error:
        raise OutputError(f"E-mail : pièce jointe « {attachment} » illisible ({error}).") from error
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    domain = getaddresses([sender])[0][1].rpartition("@")[2]
    message["Message-ID"] = make_msgid(domain=domain)  # no slow getfqdn()
    message.set_content(body)
    message.add_attachment(data, maintype="application", subtype="pdf",
                           filename=attachment.name)
    _attach_copies(message, copies)
    return message


# What one message may weigh with its attachments, as the README states: most servers
# refuse above 10 to 25 MB once base64 has added its third. Copies that would pass it
# are left out (the message says so in its text); the letter itself always goes.
MAX_MESSAGE_BYTES = 10_000_000


def _attach_copies(message: EmailMessage, copies: Sequence[Path]) -> None:
    size = len(message.as_bytes())
    left_out = []
    for copy in copies:
        copy = Path(copy)
        _no_controls("le nom de la pièce jointe", copy.name)
        try:
            data = copy.read_bytes()
        except OSError as error:
            raise OutputError(f"E-mail : copie de facture « {copy} » illisible "
                              f"({error}).") from error
        encoded = (len(data) + 2) // 3 * 4 * 77 // 76 + 200  # base64 lines and headers
        if size + encoded > MAX_MESSAGE_BYTES:
            left_out.append(copy.name)
            continue
        size += encoded
        message.add_attachment(data, maintype="application", subtype="pdf",
                               filename=copy.name)
    if left_out:
        _note_left_out(message, left_out)


def _note_left_out(message: EmailMessage, names: list[str]) -> None:
    """The body says which copies were too heavy to go, for the customer to ask them."""
    body = message.get_body(("plain",))
    if body is None:
        return
    text = body.get_content().rstrip("\n")
    body.set_content(text + "\n\nCopies non jointes (message trop lourd) : "
                     + ", ".join(names) + "\n")


def fax_address(fax_number: str, gateway: str) -> str:
    """`<number>@<gateway>` for the company's e-mail-to-fax gateway.

    Spaces, dots, dashes, slashes and parentheses go; a leading "+" stays (gateways
    read it as the international prefix) and the French "(0)" after it is dropped:
    "+33 (0)1 23 45 67 89" -> "+33123456789@fax.example.com".
    """
    domain = gateway.strip().lstrip("@")
    if not domain:
        raise OutputError("Fax : le paramètre « Passerelle fax (domaine) » est vide dans la "
                          "feuille Paramètres.")
    if not _DOMAIN.fullmatch(domain):
        raise OutputError(f"Fax : la passerelle « {gateway} » n'est pas un nom de domaine.")
    number = fax_number.strip()
    if number.startswith("+"):
        number = number.replace("(0)", "")
    digits = re.sub(r"[\s.\-/()]", "", number)
    if not re.fullmatch(r"\+?[0-9]+", digits):
        raise OutputError(f"Fax : le numéro « {fax_number} » n'est pas un numéro de fax.")
    return f"{digits}@{domain}"


# --- texts of a reminder e-mail --------------------------------------------------------

# per language: subject, body, then what {factures} and {restent} say for one invoice
# and for several (the letter itself says it the same way: `nb_factures`)
_TEXTS: dict[str, tuple[str, str, tuple[tuple[str, str], tuple[str, str]]]] = {
    "FR": ("Relance n° {niveau} - {factures} - {societe}",
           "Madame, Monsieur,\n\nSauf erreur de notre part, {restent} à ce jour. Vous "
           "trouverez ci-joint notre lettre de relance et le détail des sommes dues.\n\nSi "
           "votre règlement a été effectué entre-temps, nous vous prions de ne pas tenir "
           "compte de ce message.\n\nVeuillez agréer, Madame, Monsieur, nos salutations "
           "distinguées.\n\n{societe}\n",
           (("facture impayée", "une facture n'est pas réglée"),
            ("factures impayées", "des factures ne sont pas réglées"))),
    "EN": ("Payment reminder no. {niveau} - {factures} - {societe}",
           "Dear Sir or Madam,\n\nAccording to our records, {restent}. Please find attached "
           "our reminder letter with the details of the amounts due.\n\nIf you have "
           "already made the payment, please disregard this message.\n\nYours "
           "faithfully,\n\n{societe}\n",
           (("unpaid invoice", "an invoice is not settled"),
            ("unpaid invoices", "some invoices are not settled"))),
    "DE": ("Zahlungserinnerung Nr. {niveau} - {factures} - {societe}",
           "Sehr geehrte Damen und Herren,\n\nnach unserer Buchhaltung {restent}. Anbei "
           "erhalten Sie unser Erinnerungsschreiben mit der Aufstellung der fälligen "
           "Beträge.\n\nSollten Sie die Zahlung bereits veranlasst haben, betrachten Sie "
           "diese Nachricht bitte als gegenstandslos.\n\nMit freundlichen Grüßen\n\n"
           "{societe}\n",
           (("offene Rechnung", "ist noch eine Rechnung offen"),
            ("offene Rechnungen", "sind noch Rechnungen offen"))),
}


def letter_mail_text(langue: str, raison_sociale: str, niveau: int, factures: int = 2
                     ) -> tuple[str, str]:
    """(subject, body) of the e-mail carrying a reminder letter of `factures` invoices,
    French when the language is unknown."""
    subject, body, (one, several) = _TEXTS.get((langue or "").strip().upper(), _TEXTS["FR"])
    invoices, remain = one if factures == 1 else several
    name = " ".join("".join(" " if unicodedata.category(c)[0] in "CZ" else c
                            for c in raison_sociale).split())
    return (subject.format(niveau=niveau, factures=invoices, societe=name),
            body.format(restent=remain, societe=name))


# --- sending -------------------------------------------------------------------------

class Mailer:
    """One SMTP connection for a whole run: `with Mailer(s) as m: m.send(message)`.

    A connection the server dropped (idle timeout, restart) is re-opened once per
    message; a message the server refuses raises OutputError for that message only.
    """

    def __init__(self, settings: SmtpSettings, *, timeout: float | None = None) -> None:
        self.settings = settings
        self.timeout = settings.timeout if timeout is None else timeout
        self._smtp: smtplib.SMTP | None = None
        self._where = f"E-mail (serveur {settings.host}:{settings.port})"

    def __enter__(self) -> Mailer:
        self.connect()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def connect(self) -> None:
        """Open, secure and log in; every failure is an OutputError saying which step."""
        self.close()
        s = self.settings
        smtp: smtplib.SMTP | None = None
        try:
            if s.tls == "ssl":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                        context=s.tls_context())
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
                if s.tls == "starttls":
                    smtp.starttls(context=s.tls_context())
            if s.user:
                if s.password is None:
                    raise OutputError(
                        f"{self._where} : aucun mot de passe pour « {s.user} » ; définissez "
                        f"la variable {PASSWORD_ENV} ou enregistrez-le dans le trousseau du "
                        f"système (service « {KEYRING_SERVICE} »).")
                _login(smtp, s.user, s.password)
        except BaseException as error:
            if smtp is not None:
                _close_quietly(smtp)
            if isinstance(error, OutputError | KeyboardInterrupt | SystemExit):
                raise
            raise self._connect_error(error) from error
        self._smtp = smtp

    def _connect_error(self, error: BaseException) -> OutputError:
        where, s = self._where, self.settings
        if isinstance(error, smtplib.SMTPAuthenticationError):
            return OutputError(f"{where} : identifiant « {s.user} » ou mot de passe refusé "
                               f"({_reply(error)}).")
        if isinstance(error, smtplib.SMTPNotSupportedError):
            return OutputError(f"{where} : le serveur ne propose pas ce que demandent les "
                               f"paramètres (STARTTLS ou authentification) : {error}.")
        if _timed_out(error):
            return OutputError(f"{where} : pas de réponse après {self.timeout:g} s.")
        if isinstance(error, ssl.SSLError):
            return OutputError(f"{where} : connexion chiffrée impossible ({error}) ; le "
                               f"certificat du serveur est-il reconnu ? (variable {CAFILE_ENV})")
        return OutputError(f"{where} : connexion impossible ({error}).")

    def send(self, message: EmailMessage) -> None:
        """Send one message; OutputError for this message if it cannot be delivered."""
        if self._smtp is None:
            self.connect()
        try:
            self._send_once(message)
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            self.connect()  # dropped by the server: once more on a fresh connection
            try:
                self._send_once(message)
            except (smtplib.SMTPServerDisconnected, ConnectionError) as error:
                self.close()
                raise OutputError(f"{self._where} : connexion coupée par le serveur pendant "
                                  f"l'envoi à {message['To']} ({error}).") from error

    def _send_once(self, message: EmailMessage) -> None:
        """One attempt; a dropped connection propagates as itself so that `send` retries."""
        assert self._smtp is not None
        try:
            refused = self._smtp.send_message(message)
        except OSError as error:  # smtplib's errors are OSErrors too
            dropped = isinstance(error, smtplib.SMTPServerDisconnected | ConnectionError)
            if dropped and not _timed_out(error):
                raise
            refusal = smtplib.SMTPResponseException | smtplib.SMTPRecipientsRefused
            if not isinstance(error, refusal) or _timed_out(error):
                self.close()  # timeout or TLS failure: the state is unknown, start afresh
            raise self._send_error(error, message) from error
        if refused:
            causes = "; ".join(f"{a} : {_reply(r)}" for a, r in refused.items())
            raise OutputError(f"{self._where} : destinataires refusés ({causes}).")

    def _send_error(self, error: OSError, message: EmailMessage) -> OutputError:
        where, to = self._where, message["To"]
        if isinstance(error, smtplib.SMTPRecipientsRefused):
            causes = "; ".join(_reply(r) for r in error.recipients.values())
            return OutputError(f"{where} : destinataire {to} refusé ({causes}).")
        if isinstance(error, smtplib.SMTPSenderRefused):
            return OutputError(f"{where} : expéditeur {message['From']} refusé "
                               f"({_reply(error)}).")
        if _timed_out(error):
            return OutputError(f"{where} : pas de réponse après {self.timeout:g} s pendant "
                               f"l'envoi à {to}.")
        return OutputError(f"{where} : message à {to} refusé ({_reply(error)}).")

    def close(self) -> None:
        """QUIT politely if the server still listens; never raises."""
        if self._smtp is not None:
            smtp, self._smtp = self._smtp, None
            _close_quietly(smtp)


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """smtplib's login, except that it encodes in ASCII only: a password "Été2026!"
    goes as UTF-8 through AUTH PLAIN (RFC 4616) or LOGIN, whichever the server offers."""
    if (user + password).isascii():
        smtp.login(user, password)
        return
    smtp.ehlo_or_helo_if_needed()
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        code, reply = smtp.docmd("AUTH", "PLAIN " + _b64(f"\0{user}\0{password}"))
    elif "LOGIN" in offered:
        code, reply = smtp.docmd("AUTH", "LOGIN " + _b64(user))
        if code == 334:
            code, reply = smtp.docmd(_b64(password))
    else:
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN/LOGIN non proposé par le serveur")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _timed_out(error: BaseException | None) -> bool:
    """smtplib turns a socket timeout into SMTPServerDisconnected: look down the chain."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, TimeoutError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _close_quietly(smtp: smtplib.SMTP) -> None:
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _reply(error: object) -> str:
    """ "550 5.1.1 Utilisateur inconnu" from an smtplib error or (code, bytes) pair."""
    code, text = getattr(error, "smtp_code", None), getattr(error, "smtp_error", None)
    if code is None and isinstance(error, tuple) and len(error) == 2:
        code, text = error
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    return f"{code} {text}".strip() if code is not None else str(error)
