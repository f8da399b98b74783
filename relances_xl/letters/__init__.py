"""Letters and the proposal: docxtpl contexts, rendering, PDF, and the outputs.

The pipeline of "Imprimer toutes les lettres vers…": for each ticked row, a context
(`context.py`, pure) is merged into the template of its level and language
(`render.py`, docxtpl), the documents are converted to PDF in one batch (`pdf.py`),
then sent to the chosen output (`outputs.py`, `mail.py`); `run.py` drives it and says
which rows were really issued.
"""
