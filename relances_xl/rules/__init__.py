"""The reminder rules: pure functions of the ledger's values, no I/O.

`engine` makes the reminder table (levels, amounts, motifs), `interest` the late
interest by period, `allocation` the imputation of unlettered payments, `aging` the aged
balance, `dashboard` the dashboard's figures, `findings` the problems shown in
`Contrôles`. They import only the domain's values (`model`, `layout`, `texts`).
"""
