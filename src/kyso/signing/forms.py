from django import forms
from django.utils.translation import gettext_lazy as _

from .policy import DOCUMENT_TYPES
from .verify import MAX_BYTES


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Signed file (PDF, XML or CMS/PKCS#7)"))
    doc_type = forms.ChoiceField(label=_("Also check the rules of Art. 8 of Decision 508 for"), required=False,
                                 choices=[("", _("(signatures only)"))] + [(t.code, t.label) for t in
                                                                           DOCUMENT_TYPES.values()])
    main_document = forms.CharField(label=_("Attachment of document number (Art. 8.7)"), required=False,
                                    max_length=100, help_text=_("For example 125/QĐ-BHXH; leave empty otherwise."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than the allowed %(mb)s MB."),
                                        code="signing.input.too_large", params={"mb": MAX_BYTES // (1024 * 1024)})
        return upload
