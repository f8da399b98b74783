"""The words of the generated templates, per language: letters, proposal, README.

Kept apart from the code that lays the documents out, so a change of wording is a
change of text only. Users then adapt the .docx files in Word.
"""

from __future__ import annotations

from .typography import typeset_all

# The IBAN and the BIC never break across lines: their groups join with no-break spaces.
IBAN = "IBAN\u00a0{{ societe_iban|replace(' ', '\u00a0') }}"
BIC = "{% if societe_bic %} (BIC\u00a0{{ societe_bic }}){% endif %}"

README_HEAD = """\
# Modèles de lettres et de proposition

Les fichiers `.docx` de ce dossier sont des documents Word ordinaires, à ouvrir et à
modifier dans Word (logo, mise en page, formulation). `relances_xl` y remplace les
champs entre accolades par les valeurs de chaque client :

- `{{ champ }}` écrit un champ, par exemple `{{ client_nom }}` ;
- `{%p for l in lignes %}` … `{%p endfor %}`, chacun seul dans un paragraphe, répète le
  paragraphe du milieu pour chaque facture (`{{ l.numero }}`, `{{ l.reste_du }}`…, sur
  des taquets de tabulation dans les lettres) ; `{%tr for l in lignes %}` … `{%tr endfor %}`,
  chacun seul dans une ligne de tableau, répète la ligne du milieu (la proposition) ;
- `{%p if particulier %}` … `{%p else %}` … `{%p endif %}`, chacun seul dans un paragraphe,
  garde ou retire des paragraphes entiers.

Un modèle par forme et par langue : `LET01_FR.docx`, `LET02_DE.docx`… (`LET01` relance
courtoise, `LET02` relance ferme, `LET03` mise en demeure, `ADM01` et `ADM02` relance et
demande des intérêts moratoires d'un acheteur public, sans menace de poursuites,
`PROP01` proposition de relance). Sans fichier dans la langue du client, le modèle
`_FR` sert.

Avant toute édition, chaque modèle est vérifié : un champ qui n'existe pas (faute de
frappe) arrête l'édition avec un message qui nomme le modèle et le champ, avant
qu'aucune lettre ne parte. Les modèles s'exécutent dans un bac à sable : ils ne
peuvent que lire les champs ci-dessous.

Les montants et les dates sont déjà mis en forme dans la langue du client
(`11 063,80 €`, `€11,063.80`, `11.063,80 €`) ; les champs `…_brut` donnent le nombre.

Deux champs sont des images : `virement_qr` (le code QR EPC du virement demandé, que
l'application d'une banque lit pour préremplir bénéficiaire, IBAN, BIC, montant et
référence) et `signature` (l'image de la colonne « Image de signature » de
`Paramètres`, chemin relatif au dossier du classeur). Chacun se place seul dans un
paragraphe ou une cellule, `{{ virement_qr }}`, de préférence entouré de
`{%p if virement_qr %}` … `{%p endif %}` ; sa taille est fixée par relances_xl (code
QR de 3,2 cm, signature de 4 cm de large). Le code QR est vide pour un client qui
paie par chèque, quand la société n'a pas d'IBAN ou quand rien n'est dû.

Le pied de page affiche les mentions légales de la société (`{%p for m in
societe_mentions %}`) : forme juridique et capital, siège social, RCS ou RM, SIRET,
TVA, chacune seulement si sa cellule de `Paramètres` est remplie. L'adresse du client
est placée pour la fenêtre d'une enveloppe DL (à 53 mm du haut et 106 mm du bord
gauche) ; une lettre de plusieurs pages reçoit « page 1/2 » sur son PDF. Une lettre d'une seule
facture est au singulier (`{%p if nb_factures == 1 %}` … `{%p else %}` … `{%p endif %}`).

Ces fichiers et ce README sont produits par
`python -m relances_xl.letters.make_templates` : modifier ce module, puis le relancer,
plutôt que les fichiers à la main si la modification vaut pour tous. Exemples :
l'échantillon intégré, client 1FRNEG, société VIGNE, édition du 15/09/2022.
"""

# key -> (width in cm, header per language, right-aligned)
COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "numero": (2.0, {"FR": "N° pièce", "EN": "Invoice no.", "DE": "Rechnung"}, False),
    "date": (2.0, {"FR": "Date", "EN": "Date", "DE": "Datum"}, False),
    "echeance": (2.0, {"FR": "Échéance", "EN": "Due date", "DE": "Fällig am"}, False),
    "montant": (2.4, {"FR": "Montant TTC", "EN": "Amount", "DE": "Betrag"}, True),
    "reste_du": (2.3, {"FR": "Reste dû", "EN": "Outstanding", "DE": "Offen"}, True),
    "jours_retard": (1.7, {"FR": "Retard (j)", "EN": "Days late", "DE": "Tage Verzug"},
                     True),
    "interets": (2.2, {"FR": "Intérêts", "EN": "Interest", "DE": "Zinsen"}, True),
    "indemnite": (2.3, {"FR": "Indemnité", "EN": "Recovery fee", "DE": "Pauschale"}, True),
    "niveau": (1.6, {"FR": "Niveau", "EN": "Level", "DE": "Stufe"}, True),
    # the detail of the interest, one line per invoice and rate
    "du": (2.0, {"FR": "Du", "EN": "From", "DE": "Vom"}, False),
    "au": (2.0, {"FR": "Au", "EN": "To", "DE": "Bis"}, False),
    "principal": (2.3, {"FR": "Principal dû", "EN": "Principal owed",
                        "DE": "Offener Betrag"}, True),
    "jours": (1.6, {"FR": "Jours", "EN": "Days", "DE": "Tage"}, True),
    "taux": (2.0, {"FR": "Taux annuel", "EN": "Annual rate", "DE": "Jahreszins"}, True),
}
# the list of payments and credit notes no invoice took ("non_imputes")
CREDIT_COLUMNS: dict[str, tuple[float, dict[str, str], bool]] = {
    "date": (2.0, {"FR": "Date", "EN": "Date", "DE": "Datum"}, False),
    "numero": (3.4, {"FR": "N°", "EN": "No.", "DE": "Nr."}, False),
    "libelle": (7.2, {"FR": "Libellé", "EN": "Description", "DE": "Bezeichnung"}, False),
    "montant": (2.3, {"FR": "Montant", "EN": "Amount", "DE": "Betrag"}, True),
}

WORDS: dict[str, dict[str, str]] = {
    "FR": {
        "subject": "Objet : {{ niveau_titre }} – Réf. {{ reference }}",
        "salutation": "Madame, Monsieur,",
        "total": "Total",
        "credits_title": "Règlements reçus non imputés, déduits :",
        "credits_total": "Total non imputé",
        "left_to_pay": "Reste à régler sur ces factures : {{ total_a_regler }}",
        "agios_title": "Intérêts et frais réclamés :",
        "periods_title": "Détail des intérêts (par facture : période, principal dû, jours, taux) :",
        "agios_total": "Total des intérêts et frais",
        "total_due": "Total à régler : {{ total_reclame }}",
        "pay": "Nous vous remercions d'effectuer votre règlement par virement sur notre compte "
               + IBAN + BIC + ", "
               "en rappelant la référence {{ reference }}.",
        "contact": "Notre service comptabilité se tient à votre disposition pour toute "
                   "question : {{ societe_email }}.",
        "closing": "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos "
                   "salutations distinguées.",
        "department": "Service comptabilité",
    },
    "EN": {
        "subject": "Subject: {{ niveau_titre }} – Ref. {{ reference }}",
        "salutation": "Dear Sir or Madam,",
        "total": "Total",
        "credits_title": "Payments received and not yet allocated, deducted:",
        "credits_total": "Total not allocated",
        "left_to_pay": "Left to pay on these invoices: {{ total_a_regler }}",
        "agios_title": "Interest and charges claimed:",
        "periods_title": "Interest in detail (per invoice: period, principal owed, days, rate):",
        "agios_total": "Total interest and charges",
        "total_due": "Total amount due: {{ total_reclame }}",
        "pay": "Please pay by bank transfer to our account " + IBAN + BIC + ", "
               "quoting the reference {{ reference }}.",
        "contact": "Our accounts department will be pleased to answer any questions: "
                   "{{ societe_email }}.",
        "closing": "Yours faithfully,",
        "department": "Accounts Department",
    },
    "DE": {
        "subject": "{{ niveau_titre }} – {% if nb_factures == 1 %}Rechnung{% else %}Rechnungen"
                   "{% endif %} {{ reference }}",
        "salutation": "Sehr geehrte Damen und Herren,",
        "total": "Summe",
        "credits_title": "Eingegangene, noch nicht zugeordnete Zahlungen (abgezogen):",
        "credits_total": "Summe nicht zugeordnet",
        "left_to_pay": "Verbleibender Betrag aus diesen Rechnungen: {{ total_a_regler }}",
        "agios_title": "Geltend gemachte Zinsen und Kosten:",
        "periods_title": "Zinsberechnung (je Rechnung: Zeitraum, offener Betrag, Tage, Zinssatz):",
        "agios_total": "Summe Zinsen und Kosten",
        "total_due": "Zu zahlender Gesamtbetrag: {{ total_reclame }}",
        "pay": "Bitte überweisen Sie den Betrag auf unser Konto " + IBAN + BIC + " "
               "unter Angabe der Referenz {{ reference }}.",
        "contact": "Für Rückfragen steht Ihnen unsere Buchhaltung gerne zur Verfügung: "
                   "{{ societe_email }}.",
        "closing": "Mit freundlichen Grüßen",
        "department": "Buchhaltung",
    },
}

LETTERS: dict[str, dict[str, dict]] = {
    "LET01": {
        "FR": {"intro": ["Sauf erreur ou omission de notre part, les factures ci-dessous, "
                         "arrivées à échéance, ne sont pas réglées à ce jour : il en reste dû "
                         "le montant indiqué."],
               "after": ["Il s'agit sans doute d'un oubli : nous vous remercions de bien "
                         "vouloir procéder à leur règlement dans les meilleurs délais."],
               "intro_1": ["Sauf erreur ou omission de notre part, la facture ci-dessous, "
                           "arrivée à échéance, n'est pas réglée à ce jour : il en reste dû le "
                           "montant indiqué."],
               "after_1": ["Il s'agit sans doute d'un oubli : nous vous remercions de bien "
                           "vouloir procéder à son règlement dans les meilleurs délais."],
               "disregard": ["Si votre règlement nous est parvenu entre-temps, nous vous "
                             "prions de ne pas tenir compte de ce courrier."]},
        "EN": {"intro": ["According to our records, the invoices listed below have fallen "
                         "due and are not settled to date: the amounts outstanding are shown."],
               "after": ["This is probably an oversight. We would be grateful if you could "
                         "arrange payment at your earliest convenience."],
               "disregard": ["If you have already settled these invoices, please disregard "
                             "this letter."],
               "intro_1": ["According to our records, the invoice listed below has fallen "
                           "due and is not settled to date: the amount outstanding is shown."],
               "disregard_1": ["If you have already settled this invoice, please disregard "
                               "this letter."]},
        "DE": {"intro": ["bei Durchsicht unserer Buchhaltung haben wir festgestellt, dass die "
                         "nachstehenden Rechnungen trotz Fälligkeit noch offen sind."],
               "intro_1": ["bei Durchsicht unserer Buchhaltung haben wir festgestellt, dass "
                           "die nachstehende Rechnung trotz Fälligkeit noch offen ist."],
               "after": ["Sicherlich handelt es sich um ein Versehen. Wir bitten Sie, den "
                         "offenen Betrag baldmöglichst zu begleichen."],
               "disregard": ["Sollten Sie die Zahlung inzwischen veranlasst haben, betrachten "
                             "Sie dieses Schreiben bitte als gegenstandslos."]},
    },
    "LET02": {
        "FR": {"intro": ["Malgré notre précédente relance, les factures ci-dessous ne sont pas "
                         "réglées : il reste dû le montant indiqué pour chacune."
                         "{{ mention_premiere_relance }}"],
               "after": ["Nous vous demandons de procéder à leur règlement sans délai. À "
                         "défaut, nous serions contraints de vous adresser une mise en "
                         "demeure."],
               "intro_1": ["Malgré notre précédente relance, la facture ci-dessous n'est pas "
                           "réglée : il en reste dû le montant indiqué."
                           "{{ mention_premiere_relance }}"],
               "after_1": ["Nous vous demandons de procéder à son règlement sans délai. À "
                           "défaut, nous serions contraints de vous adresser une mise en "
                           "demeure."],
               "disregard": ["Si votre règlement a croisé ce courrier, nous vous prions de ne "
                             "pas en tenir compte."]},
        "EN": {"intro": ["Despite our previous reminder, the invoices listed below are not "
                         "settled: the outstanding amount of each is shown."
                         "{{ mention_premiere_relance }}"],
               "intro_1": ["Despite our previous reminder, the invoice listed below is not "
                           "settled: its outstanding amount is shown."
                           "{{ mention_premiere_relance }}"],
               "after": ["We ask you to settle the outstanding amount without further delay. "
                         "Failing this, we will have to send you a formal notice."],
               "disregard": ["If your payment has crossed with this letter, please disregard "
                             "it."]},
        "DE": {"intro": ["trotz unserer Zahlungserinnerung sind die nachstehenden Rechnungen "
                         "weiterhin offen, in Höhe der angegebenen Beträge."
                         "{{ mention_premiere_relance }}"],
               "intro_1": ["trotz unserer Zahlungserinnerung ist die nachstehende Rechnung "
                           "weiterhin offen, in Höhe des angegebenen Betrags."
                           "{{ mention_premiere_relance }}"],
               "after": ["Wir fordern Sie auf, den offenen Betrag umgehend zu begleichen. "
                         "Andernfalls sehen wir uns gezwungen, weitere Schritte einzuleiten."],
               "disregard": ["Sollte sich Ihre Zahlung mit diesem Schreiben überschnitten "
                             "haben, betrachten Sie es bitte als gegenstandslos."]},
    },
    "LET03": {
        "FR": {"intro": ["Malgré nos précédentes relances, les factures ci-dessous ne sont pas "
                         "réglées à ce jour : il reste dû le montant indiqué pour chacune."
                         "{{ mention_premiere_relance }}"],
               "intro_1": ["Malgré nos précédentes relances, la facture ci-dessous n'est pas "
                           "réglée à ce jour : il en reste dû le montant indiqué."
                           "{{ mention_premiere_relance }}"],
               "after": ["Par la présente, nous vous mettons en demeure de nous régler la "
                         "somme de {{ total_reclame }} au plus tard le {{ date_limite }}, soit "
                         "{{ delai_jours_lettres }} jours après la date de la présente."],
               "pro": "Conformément à l'article L441-10 du Code de commerce, des pénalités de "
                      "retard sont exigibles de plein droit {% if taux_variable %}aux taux "
                      "annuels de chaque semestre, détaillés ci-dessus{% else %}au taux annuel "
                      "de {{ taux }}{% endif %}, à compter du lendemain de l'échéance, ainsi "
                      "qu'une indemnité forfaitaire pour frais de recouvrement de "
                      "{{ indemnite_unitaire }} par facture (article D441-5 du Code de "
                      "commerce).",
               "particulier": "Conformément à l'article 1231-6 du Code civil, les sommes dues "
                              "portent intérêts {% if taux_variable %}aux taux de l'intérêt "
                              "légal de chaque semestre, détaillés ci-dessus{% else %}au taux "
                              "de l'intérêt légal, soit {{ taux }} l'an{% endif %}, à compter "
                              "{% if date_mise_en_demeure %}de notre mise en demeure du "
                              "{{ date_mise_en_demeure }}{% else %}de la présente mise en "
                              "demeure{% endif %}.",
               "consequence": "À défaut de règlement dans ce délai, nous engagerons sans autre "
                              "avis une procédure de recouvrement judiciaire."},
        "EN": {"intro": ["Despite our previous reminders, the invoices listed below are not "
                         "settled to date: the outstanding amount of each is shown."
                         "{{ mention_premiere_relance }}"],
               "intro_1": ["Despite our previous reminders, the invoice listed below is not "
                           "settled to date: its outstanding amount is shown."
                           "{{ mention_premiere_relance }}"],
               "after": ["We hereby give you formal notice to pay the sum of "
                         "{{ total_reclame }} by {{ date_limite }} at the latest, i.e. "
                         "{{ delai_jours_lettres }} days after the date of this letter."],
               "pro": "In accordance with Article L441-10 of the French Commercial Code (Code "
                      "de commerce), late-payment interest is due by operation of law "
                      "{% if taux_variable %}at the annual rates of each half-year, detailed "
                      "above{% else %}at the annual rate of {{ taux }}{% endif %} from the day "
                      "after the due date, together with a fixed compensation for recovery "
                      "costs of {{ indemnite_unitaire }} per invoice (Article D441-5 of the "
                      "French Commercial Code).",
               "particulier": "In accordance with Article 1231-6 of the French Civil Code "
                              "(Code civil), the sums due bear interest {% if taux_variable %}"
                              "at the statutory interest rates of each half-year, detailed "
                              "above{% else %}at the statutory interest rate of {{ taux }} per "
                              "annum{% endif %} from {% if date_mise_en_demeure %}our formal "
                              "notice of {{ date_mise_en_demeure }}{% else %}the date of this "
                              "formal notice{% endif %}.",
               "consequence": "Should payment not be received within this period, we will "
                              "initiate legal recovery proceedings without further notice."},
        "DE": {"intro": ["trotz unserer bisherigen Mahnungen sind die nachstehenden Rechnungen "
                         "bis heute nicht beglichen; offen sind die angegebenen Beträge."
                         "{{ mention_premiere_relance }}"],
               "intro_1": ["trotz unserer bisherigen Mahnungen ist die nachstehende Rechnung "
                           "bis heute nicht beglichen; offen ist der angegebene Betrag."
                           "{{ mention_premiere_relance }}"],
               "after": ["Wir fordern Sie hiermit letztmalig auf, den Betrag von "
                         "{{ total_reclame }} spätestens bis zum {{ date_limite }} zu "
                         "begleichen, d. h. {{ delai_jours_lettres }} Tage nach dem Datum "
                         "dieses Schreibens."],
               "pro": "Gemäß Art. L441-10 des französischen Handelsgesetzbuchs (Code de "
                      "commerce) sind ab dem Tag nach Fälligkeit Verzugszinsen "
                      "{% if taux_variable %}zu den oben aufgeführten Jahreszinssätzen des "
                      "jeweiligen Halbjahres{% else %}zum Jahreszinssatz von {{ taux }}"
                      "{% endif %} kraft Gesetzes fällig, zuzüglich einer Pauschale für "
                      "Beitreibungskosten von {{ indemnite_unitaire }} je Rechnung (Art. "
                      "D441-5 Code de commerce).",
               "particulier": "Gemäß Art. 1231-6 des französischen Zivilgesetzbuchs (Code "
                              "civil) sind die geschuldeten Beträge ab {% if "
                              "date_mise_en_demeure %}unserer Mahnung vom "
                              "{{ date_mise_en_demeure }}{% else %}dem Datum dieser Mahnung"
                              "{% endif %} {% if taux_variable %}mit den oben aufgeführten "
                              "gesetzlichen Zinssätzen des jeweiligen Halbjahres{% else %}mit "
                              "dem gesetzlichen Zinssatz von {{ taux }} jährlich{% endif %} zu "
                              "verzinsen.",
               "consequence": "Sollte die Zahlung nicht fristgerecht eingehen, werden wir ohne "
                              "weitere Ankündigung gerichtliche Schritte einleiten."},
    },
    # Public buyers: the same facts, the moratory interest they owe by law, and no threat
    # of a lawsuit (an administration pays once the invoice is "mandatée").
    "ADM01": {
        "FR": {"intro": ["Sauf erreur ou omission de notre part, les factures ci-dessous, "
                         "arrivées à échéance, ne sont pas réglées à ce jour : il en reste dû "
                         "le montant indiqué."],
               "intro_1": ["Sauf erreur ou omission de notre part, la facture ci-dessous, "
                           "arrivée à échéance, n'est pas réglée à ce jour : il en reste dû le "
                           "montant indiqué."],
               "after_1": ["Nous vous remercions de bien vouloir procéder à son mandatement "
                           "dans les meilleurs délais.",
                           "Nous vous rappelons qu'au-delà du délai de paiement, des intérêts "
                           "moratoires et une indemnité forfaitaire pour frais de recouvrement "
                           "de {{ indemnite_unitaire }} par facture sont dus de plein droit "
                           "({{ base_legale_interets }} ; {{ base_legale_indemnite }})."],
               "after": ["Nous vous remercions de bien vouloir procéder à leur mandatement "
                         "dans les meilleurs délais.",
                         "Nous vous rappelons qu'au-delà du délai de paiement, des intérêts "
                         "moratoires et une indemnité forfaitaire pour frais de recouvrement "
                         "de {{ indemnite_unitaire }} par facture sont dus de plein droit "
                         "({{ base_legale_interets }} ; {{ base_legale_indemnite }})."],
               "disregard": ["Si le paiement a été mandaté entre-temps, nous vous prions de "
                             "ne pas tenir compte de ce courrier."]},
        "EN": {"intro": ["According to our records, the invoices listed below have fallen "
                         "due and are not settled to date: the amounts outstanding are shown."],
               "intro_1": ["According to our records, the invoice listed below has fallen "
                           "due and is not settled to date: the amount outstanding is shown."],
               "after_1": ["We would be grateful if you could arrange for its payment at "
                           "your earliest convenience.",
                           "Please note that once the payment period has expired, late-payment "
                           "interest and a fixed compensation for recovery costs of "
                           "{{ indemnite_unitaire }} per invoice are due by operation of law "
                           "({{ base_legale_interets }}; {{ base_legale_indemnite }})."],
               "after": ["We would be grateful if you could arrange for their payment at "
                         "your earliest convenience.",
                         "Please note that once the payment period has expired, late-payment "
                         "interest and a fixed compensation for recovery costs of "
                         "{{ indemnite_unitaire }} per invoice are due by operation of law "
                         "({{ base_legale_interets }}; {{ base_legale_indemnite }})."],
               "disregard": ["If payment has already been ordered, please disregard this "
                             "letter."]},
        "DE": {"intro": ["bei Durchsicht unserer Buchhaltung haben wir festgestellt, dass die "
                         "nachstehenden Rechnungen trotz Fälligkeit noch offen sind."],
               "intro_1": ["bei Durchsicht unserer Buchhaltung haben wir festgestellt, dass "
                           "die nachstehende Rechnung trotz Fälligkeit noch offen ist."],
               "after": ["Wir bitten Sie, die Zahlung baldmöglichst anzuweisen.",
                         "Wir weisen darauf hin, dass nach Ablauf der Zahlungsfrist "
                         "Verzugszinsen und eine Pauschale für Beitreibungskosten von "
                         "{{ indemnite_unitaire }} je Rechnung kraft Gesetzes geschuldet sind "
                         "({{ base_legale_interets }}; {{ base_legale_indemnite }})."],
               "disregard": ["Sollte die Zahlung inzwischen angewiesen worden sein, betrachten "
                             "Sie dieses Schreiben bitte als gegenstandslos."]},
    },
    "ADM02": {
        "FR": {"intro": ["Malgré notre précédente relance, les factures ci-dessous ne sont pas "
                         "réglées à ce jour, au-delà du délai de paiement : il reste dû le "
                         "montant indiqué pour chacune.{{ mention_premiere_relance }}"],
               "intro_1": ["Malgré notre précédente relance, la facture ci-dessous n'est pas "
                           "réglée à ce jour, au-delà du délai de paiement : il en reste dû le "
                           "montant indiqué.{{ mention_premiere_relance }}"],
               "after": ["Conformément aux articles L2192-13 et R2192-31 du Code de la "
                         "commande publique, ce retard fait courir de plein droit des intérêts "
                         "moratoires {% if taux_variable %}aux taux détaillés ci-dessus"
                         "{% else %}au taux annuel de {{ taux }}{% endif %} (taux de la Banque "
                         "centrale européenne majoré de huit points), ainsi qu'une indemnité "
                         "forfaitaire pour frais de recouvrement de {{ indemnite_unitaire }} "
                         "par facture (article D2192-35 du même code).",
                         "Nous vous remercions de bien vouloir procéder au mandatement de la "
                         "somme de {{ total_reclame }}, intérêts moratoires et indemnités "
                         "compris."],
               "disregard": ["Si le paiement a été mandaté entre-temps, nous vous prions de "
                             "ne pas tenir compte de ce courrier."]},
        "EN": {"intro": ["Despite our previous reminder, the invoices listed below are not "
                         "settled to date, beyond the payment period: the outstanding amount "
                         "of each is shown.{{ mention_premiere_relance }}"],
               "intro_1": ["Despite our previous reminder, the invoice listed below is not "
                           "settled to date, beyond the payment period: its outstanding "
                           "amount is shown.{{ mention_premiere_relance }}"],
               "after": ["In accordance with Articles L2192-13 and R2192-31 of the French "
                         "Public Procurement Code (Code de la commande publique), this delay "
                         "bears late-payment interest by operation of law "
                         "{% if taux_variable %}at the rates detailed above{% else %}at the "
                         "annual rate of {{ taux }}{% endif %} (the European Central Bank's "
                         "rate plus eight points), together with a fixed compensation for "
                         "recovery costs of {{ indemnite_unitaire }} per invoice (Article "
                         "D2192-35 of the same code).",
                         "We would be grateful if you could arrange for the payment of "
                         "{{ total_reclame }}, interest and compensation included."],
               "disregard": ["If payment has already been ordered, please disregard this "
                             "letter."]},
        "DE": {"intro": ["trotz unserer Zahlungserinnerung sind die nachstehenden Rechnungen "
                         "nach Ablauf der Zahlungsfrist weiterhin offen, in Höhe der "
                         "angegebenen Beträge.{{ mention_premiere_relance }}"],
               "intro_1": ["trotz unserer Zahlungserinnerung ist die nachstehende Rechnung "
                           "nach Ablauf der Zahlungsfrist weiterhin offen, in Höhe des "
                           "angegebenen Betrags.{{ mention_premiere_relance }}"],
               "after": ["Gemäß Art. L2192-13 und R2192-31 des französischen "
                         "Vergabegesetzbuchs (Code de la commande publique) sind für diesen "
                         "Verzug kraft Gesetzes Verzugszinsen {% if taux_variable %}zu den "
                         "oben aufgeführten Zinssätzen{% else %}zum Jahreszinssatz von "
                         "{{ taux }}{% endif %} (Zinssatz der Europäischen Zentralbank zuzüglich "
                         "acht Prozentpunkten) geschuldet, zuzüglich einer Pauschale für "
                         "Beitreibungskosten von {{ indemnite_unitaire }} je Rechnung (Art. "
                         "D2192-35 desselben Gesetzbuchs).",
                         "Wir bitten Sie, die Zahlung von {{ total_reclame }} einschließlich "
                         "Zinsen und Pauschale anzuweisen."],
               "disregard": ["Sollte die Zahlung inzwischen angewiesen worden sein, betrachten "
                             "Sie dieses Schreiben bitte als gegenstandslos."]},
    },
}

PROPOSAL: dict[str, dict] = {
    "FR": {
        "title": "Proposition de relance",
        "due": "Échéances échues au {{ date }}",
        "info": "{{ c.societe_raison_sociale }} ({{ c.societe }}) · Niveau de relance : "
                "{{ c.niveau }} · À relancer : {% if c.a_relancer %}Oui{% else %}Non"
                "{% endif %}{% if c.motif %} – {{ c.motif }}{% endif %}",
        "lines_total": "Encours relancé",
        "claimed": "Agios réclamés : {{ c.total_agios }} · Total réclamé : "
                   "{{ c.total_reclame }}",
        "disputed": "Factures en litige, non relancées :",
        "disputed_total": "Total en litige",
        "summary": "Récapitulatif",
        "summary_rows": [("Clients", "{{ nb_clients }}"),
                         ("Factures relancées", "{{ nb_factures }}"),
                         ("Encours relancé", "{{ total_reste_du }}"),
                         ("Règlements non imputés", "{{ total_non_impute }}"),
                         ("Reste à régler", "{{ total_a_regler }}"),
                         ("Agios réclamés", "{{ total_agios }}"),
                         ("Total réclamé", "{{ total_reclame }}"),
                         ("En litige, non relancé", "{{ total_litiges }}")],
    },
    "EN": {
        "title": "Reminder proposal",
        "due": "Items due as at {{ date }}",
        "info": "{{ c.societe_raison_sociale }} ({{ c.societe }}) · Reminder level: "
                "{{ c.niveau }} · To remind: {% if c.a_relancer %}Yes{% else %}No"
                "{% endif %}{% if c.motif %} – {{ c.motif }}{% endif %}",
        "lines_total": "Amount reminded",
        "claimed": "Interest and charges: {{ c.total_agios }} · Total claimed: "
                   "{{ c.total_reclame }}",
        "disputed": "Disputed invoices, not reminded:",
        "disputed_total": "Total disputed",
        "summary": "Summary",
        "summary_rows": [("Customers", "{{ nb_clients }}"),
                         ("Invoices reminded", "{{ nb_factures }}"),
                         ("Amount reminded", "{{ total_reste_du }}"),
                         ("Payments not allocated", "{{ total_non_impute }}"),
                         ("Left to pay", "{{ total_a_regler }}"),
                         ("Interest and charges", "{{ total_agios }}"),
                         ("Total claimed", "{{ total_reclame }}"),
                         ("Disputed, not reminded", "{{ total_litiges }}")],
    },
    "DE": {
        "title": "Mahnvorschlag",
        "due": "Fällige Posten zum {{ date }}",
        "info": "{{ c.societe_raison_sociale }} ({{ c.societe }}) · Mahnstufe: "
                "{{ c.niveau }} · Zu mahnen: {% if c.a_relancer %}Ja{% else %}Nein"
                "{% endif %}{% if c.motif %} – {{ c.motif }}{% endif %}",
        "lines_total": "Gemahnter Betrag",
        "claimed": "Zinsen und Kosten: {{ c.total_agios }} · Gesamtforderung: "
                   "{{ c.total_reclame }}",
        "disputed": "Strittige Rechnungen (nicht gemahnt):",
        "disputed_total": "Summe strittig",
        "summary": "Zusammenfassung",
        "summary_rows": [("Kunden", "{{ nb_clients }}"),
                         ("Gemahnte Rechnungen", "{{ nb_factures }}"),
                         ("Gemahnter Betrag", "{{ total_reste_du }}"),
                         ("Nicht zugeordnete Zahlungen", "{{ total_non_impute }}"),
                         ("Verbleibender Betrag", "{{ total_a_regler }}"),
                         ("Zinsen und Kosten", "{{ total_agios }}"),
                         ("Gesamtforderung", "{{ total_reclame }}"),
                         ("Strittig, nicht gemahnt", "{{ total_litiges }}")],
    },
}

# Registered post, how to pay (by the customer's payment mode), the QR code, the signatory
# and the letterhead's phone: the parts of a letter an accountant can sign (issue 17).
_IBAN_FR = "notre compte " + IBAN + BIC + ", en rappelant la référence {{ reference }}"
_IBAN_EN = "our account " + IBAN + BIC + ", quoting the reference {{ reference }}"
_IBAN_DE = "unser Konto " + IBAN + BIC + " unter Angabe der Referenz {{ reference }}"
SIGNING: dict[str, dict[str, str]] = {
    "FR": {
        "registered": "Lettre recommandée\navec accusé de réception",
        "pay_cheque": "Vous pouvez nous adresser votre chèque de {{ total_reclame }}, libellé à "
                      "l'ordre de {{ societe_raison_sociale }}, à l'adresse suivante : "
                      "{{ societe_adresse }}, en rappelant au dos la référence {{ reference }}.",
        "pay_lcr": "Le règlement prévu par lettre de change (LCR) n'ayant pas abouti, nous vous "
                   "remercions de régler la somme de {{ total_reclame }} par virement sur "
                   + _IBAN_FR + ". Vos prochaines échéances seront présentées à "
                   "l'encaissement à leur date, comme convenu.",
        "pay_prelevement": "Le prélèvement de cette somme n'ayant pas abouti, nous vous "
                           "remercions de régler {{ total_reclame }} par virement sur "
                           + _IBAN_FR + ". Votre prochaine échéance sera présentée au "
                           "prélèvement à sa date, comme convenu.",
        "qr": "Pour payer par virement, scannez ce code avec l'application de votre banque : "
              "le bénéficiaire, le montant et la référence sont déjà remplis.",
        "phone": "Tél.",
        "page_line": "{{ client_nom }} · {{ niveau_titre }} du {{ date_lettre }}",
        "page": "page",
    },
    "EN": {
        "registered": "Registered letter\nwith acknowledgement of receipt",
        "pay_cheque": "You may send us your cheque for {{ total_reclame }}, payable to "
                      "{{ societe_raison_sociale }}, at the following address: "
                      "{{ societe_adresse }}, quoting the reference {{ reference }} on the "
                      "back.",
        "pay_lcr": "As the payment planned by bill of exchange (LCR) did not go through, please "
                   "pay the sum of {{ total_reclame }} by bank transfer to " + _IBAN_EN
                   + ". Your next instalments will be presented for payment on their due "
                   "dates, as agreed.",
        "pay_prelevement": "As the direct debit of this sum did not go through, please pay "
                           "{{ total_reclame }} by bank transfer to " + _IBAN_EN + ". Your "
                           "next instalment will be collected by direct debit on its due "
                           "date, as agreed.",
        "qr": "To pay by bank transfer, scan this code with your banking app: the payee, the "
              "amount and the reference are filled in for you.",
        "phone": "Tel.",
        "page_line": "{{ client_nom }} · {{ niveau_titre }} of {{ date_lettre }}",
        "page": "page",
    },
    "DE": {
        "registered": "Einschreiben mit Rückschein",
        "pay_cheque": "Sie können uns Ihren Scheck über {{ total_reclame }}, ausgestellt auf "
                      "{{ societe_raison_sociale }}, an folgende Anschrift senden: "
                      "{{ societe_adresse }}, mit der Referenz {{ reference }} auf der "
                      "Rückseite.",
        "pay_lcr": "Da die vereinbarte Zahlung per Wechsel (LCR) nicht eingelöst wurde, bitten "
                   "wir Sie, den Betrag von {{ total_reclame }} auf " + _IBAN_DE
                   + " zu überweisen. Ihre nächsten Fälligkeiten werden wie vereinbart zu "
                   "ihrem Termin vorgelegt.",
        "pay_prelevement": "Da die Lastschrift dieses Betrags nicht eingelöst wurde, bitten "
                           "wir Sie, {{ total_reclame }} auf " + _IBAN_DE + " zu überweisen. "
                           "Ihre nächste Fälligkeit wird wie vereinbart zum Termin per "
                           "Lastschrift eingezogen.",
        "qr": "Zum Bezahlen per Überweisung scannen Sie diesen Code mit Ihrer Banking-App: "
              "Empfänger, Betrag und Referenz sind bereits ausgefüllt.",
        "phone": "Tel.",
        "page_line": "{{ client_nom }} · {{ niveau_titre }} vom {{ date_lettre }}",
        "page": "Seite",
    },
}

# The proposal's first table: one line per customer, how its letter goes.
# key -> (width in cm, header per language, right-aligned, cell text)
OVERVIEW: dict[str, tuple[float, dict[str, str], bool, str]] = {
    "tiers": (1.7, {"FR": "Tiers", "EN": "Customer", "DE": "Kunde"}, False, "{{ c.tiers }}"),
    "nom": (3.9, {"FR": "Nom", "EN": "Name", "DE": "Name"}, False, "{{ c.nom }}"),
    "niveau": (1.0, {"FR": "Niv.", "EN": "Level", "DE": "Stufe"}, True, "{{ c.niveau }}"),
    "modele": (1.5, {"FR": "Modèle", "EN": "Template", "DE": "Vorlage"}, False,
               "{{ c.modele }}"),
    "canal": (2.9, {"FR": "Envoi", "EN": "Sent by", "DE": "Versand"}, False, "{{ c.canal }}"),
    "recommande": (1.8, {"FR": "Recomm.", "EN": "Regist.", "DE": "Einschr."}, False,
                   {"FR": "{% if c.recommande %}Oui{% else %}Non{% endif %}",
                    "EN": "{% if c.recommande %}Yes{% else %}No{% endif %}",
                    "DE": "{% if c.recommande %}Ja{% else %}Nein{% endif %}"}),
    "langue": (1.5, {"FR": "Langue", "EN": "Lang.", "DE": "Sprache"}, False,
               "{{ c.langue_lettre }}"),
    "total": (2.6, {"FR": "Total réclamé", "EN": "Total claimed", "DE": "Gesamtforderung"},
              True, "{{ c.total_reclame }}"),
}
OVERVIEW_TITLE = {"FR": "Lettres à éditer", "EN": "Letters to issue",
                  "DE": "Zu erstellende Schreiben"}

# The proposal's print date, filters, balances, the rows left unticked, page numbers.
PROPOSAL_MORE: dict[str, dict] = {
    "FR": {
        "printed": "Imprimée le {{ date_impression }} · Filtres : {{ filtres_texte }}",
        "balance": "Solde comptable : {{ c.solde_comptable }}",
        "qr": "Code QR du virement que la lettre demandera\u00a0:",
        "unticked": "Clients non relancés (case « A relancer » décochée)",
        "unticked_columns": ("Tiers", "Nom", "Société", "Niveau", "Solde comptable",
                             "Encours relancé", "Motif"),
        "page": "page",
    },
    "EN": {
        "printed": "Printed on {{ date_impression }} · Filters: {{ filtres_texte }}",
        "balance": "Account balance: {{ c.solde_comptable }}",
        "qr": "QR code of the transfer the letter will ask for:",
        "unticked": "Customers not reminded (\u201cTo remind\u201d unticked)",
        "unticked_columns": ("Customer", "Name", "Company", "Level", "Balance",
                             "Amount reminded", "Reason"),
        "page": "page",
    },
    "DE": {
        "printed": "Gedruckt am {{ date_impression }} · Filter: {{ filtres_texte }}",
        "balance": "Kontosaldo: {{ c.solde_comptable }}",
        "qr": "QR-Code der Überweisung, die das Schreiben anfordert:",
        "unticked": "Nicht gemahnte Kunden (\u201eZu mahnen\u201c nicht angekreuzt)",
        "unticked_columns": ("Kunde", "Name", "Gesellschaft", "Stufe", "Saldo",
                             "Gemahnter Betrag", "Grund"),
        "page": "Seite",
    },
}

# Public buyers (ADM01, ADM02): their invoices go through the public invoicing portal
# Chorus Pro (art. L2192-1 and L2192-5 Code de la commande publique, docs/regles.md) and
# their public accountant pays by transfer: the letter never offers a cheque.
PUBLIC: dict[str, dict[str, str]] = {
    "FR": {"chorus": "Ces factures ont été déposées sur le portail public de facturation "
                     "Chorus Pro (articles L2192-1 et L2192-5 du Code de la commande "
                     "publique).",
           "pay": "Le paiement est attendu par virement sur " + _IBAN_FR + "."},
    "EN": {"chorus": "These invoices were filed on the public invoicing portal Chorus Pro "
                     "(Articles L2192-1 and L2192-5 of the French Public Procurement "
                     "Code).",
           "pay": "Payment is expected by bank transfer to " + _IBAN_EN + "."},
    "DE": {"chorus": "Diese Rechnungen wurden über das öffentliche Rechnungsportal Chorus Pro "
                     "eingereicht (Art. L2192-1 und L2192-5 des Code de la commande "
                     "publique).",
           "pay": "Die Zahlung erbitten wir per Überweisung auf " + _IBAN_DE + "."},
}

# Typographic apostrophes everywhere, French spacing in French (typography.py).
for _table in (WORDS, SIGNING, PROPOSAL, PROPOSAL_MORE, PUBLIC):
    for _langue in _table:
        _table[_langue] = typeset_all(_table[_langue], _langue)
for _forme in LETTERS.values():
    for _langue in _forme:
        _forme[_langue] = typeset_all(_forme[_langue], _langue)
for _spec in (COLUMNS, CREDIT_COLUMNS):
    for _key, (_width, _titles, _right) in list(_spec.items()):
        _spec[_key] = (_width, {lg: typeset_all(t, lg) for lg, t in _titles.items()}, _right)
