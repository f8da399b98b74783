"""The FEC import: a French *fichier des écritures comptables* into the ledger sheets.

`read` parses the file (its encoding found by `encoding`, each line made a `lines.FecLine`
or a `lines.FecIssue`), `numbers` gives each invoice
its number, `plan` turns the lines into customers, invoices and payments, `changes`
says what the import changes in each sheet; these four are pure. `importer` is the
action behind the **Importer un FEC** button and `relances-xl import-fec`: it reads the
sheets, plans, writes, and reports.
"""
