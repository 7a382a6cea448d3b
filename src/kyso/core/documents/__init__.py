"""Vietnamese administrative documents (Decree 30/2020 layout) rendered as PDF and DOCX."""

from .model import (Checkbox, Field, FieldLine, OfficialDocument, Paragraph, SignatureBlock, Spacer, Table,  # noqa: F401
                    vn_date, vn_date_phrase, vn_datetime)


from .docx import render_docx  # noqa: F401,E402
from .pdf import render_pdf  # noqa: F401,E402
