from rest_framework import serializers


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Signed PDF, XML e-dossier or CMS/PKCS#7 file.")
    doc_type = serializers.ChoiceField(choices=["official", "joint", "attachment", "e-dossier", "any"], required=False,
                                       help_text="Also check the Art. 8 rules of Decision 508 for this kind of document.")
    expected_title = serializers.CharField(required=False, help_text="Title the document is signed under (Art. 8.2).")
    caption = serializers.ChoiceField(choices=["KT.", "TL.", "TUQ."], required=False)
    main_document = serializers.CharField(required=False, max_length=100,
                                          help_text="Number and symbol of the main document this file is an "
                                                    "attachment of (Art. 8.7).")


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField()
    ok = serializers.BooleanField(allow_null=True)
    message = serializers.CharField()


class ModificationsSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["none", "lta_updates", "form_filling", "annotations", "other"],
                                    help_text="The kind of change made after this signature (PDF).")
    revisions = serializers.IntegerField(help_text="Revisions saved after the signed one.")
    docmdp = serializers.IntegerField(allow_null=True, help_text="DocMDP level in force (1, 2, 3) or null.")
    objects = serializers.ListField(child=serializers.IntegerField(), help_text="Object numbers changed.")
    pages = serializers.ListField(child=serializers.IntegerField(), help_text="Pages changed (from 1).")
    fields = serializers.ListField(child=serializers.CharField(), help_text="Form fields changed.")
    visible = serializers.ListField(child=serializers.CharField(), help_text="What a person sees differently.")
    problems = serializers.ListField(child=serializers.CharField(), help_text="Why the changes are not permitted.")
    permitted = serializers.BooleanField()


class SignatureReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    indication = serializers.ChoiceField(choices=["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"])
    sub_indication = serializers.CharField(allow_null=True)
    signer = serializers.CharField()
    signer_serial = serializers.CharField()
    issuer = serializers.CharField()
    signing_time = serializers.DateTimeField(allow_null=True)
    timestamp_time = serializers.DateTimeField(allow_null=True)
    level = serializers.CharField()
    reason = serializers.CharField()
    checks = CheckSerializer(many=True)
    modifications = ModificationsSerializer(allow_null=True)


class DocumentReportSerializer(serializers.Serializer):
    format = serializers.ChoiceField(choices=["pdf", "xml", "cms"])
    filename = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    indication = serializers.ChoiceField(choices=["TOTAL_PASSED", "TOTAL_FAILED", "INDETERMINATE"])
    sub_indication = serializers.CharField(allow_null=True)
    summary = serializers.CharField()
    algorithm_policy = serializers.CharField(help_text="The algorithm policy the verdicts were given under.")
    signatures = SignatureReportSerializer(many=True)
    document_checks = CheckSerializer(many=True)
    codes = serializers.ListField(child=serializers.CharField())
    messages = serializers.ListField(child=serializers.CharField())


class SignPendingSerializer(serializers.Serializer):
    """The answer when the holder must confirm on his phone: nothing is signed yet."""

    state = serializers.ChoiceField(choices=["pending"], help_text="Always pending: the holder has not confirmed yet.")
    request = serializers.UUIDField(help_text="The signature request waiting on the holder's phone.")
    poll = serializers.CharField(help_text="Where to ask for the request's state and, once signed, the document.")


class SignRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF or XML document to sign.")
    certificate = serializers.CharField(required=False, allow_blank=True, help_text="Serial (hex) of your certificate.")
    pin = serializers.CharField(required=False, allow_blank=True, help_text="Your device PIN (USB key device).")
    sad = serializers.CharField(required=False, allow_blank=True, max_length=2000,
                                help_text="Remote key: the SAD from CSC credentials/authorize for this document's SHA-256 "
                                          "(PIN + one-time code).")
    confirm = serializers.ChoiceField(choices=["", "phone"], required=False, default="",
                                      help_text="Remote key or PKI SIM: 'phone' asks you to confirm on your phone "
                                                "(202 with the request to poll).")
    seal = serializers.BooleanField(required=False, default=False, help_text="Clerk: sign with the unit's seal.")
    level = serializers.ChoiceField(choices=["B-B", "B-T", "B-LT"], required=False)
    appearance = serializers.ChoiceField(choices=["leader", "organization", "attachment"], required=False)
    caption = serializers.ChoiceField(choices=["", "KT.", "TL.", "TUQ."], required=False, default="")
    on_behalf_of = serializers.CharField(required=False, allow_blank=True, max_length=150,
                                         help_text="With a caption: the title signed for (KT. GIÁM ĐỐC).")
    title = serializers.CharField(required=False, allow_blank=True)
    name = serializers.CharField(required=False, allow_blank=True)
    organization = serializers.CharField(required=False, allow_blank=True)
    document_number = serializers.CharField(required=False, allow_blank=True)
    image = serializers.FileField(required=False, help_text="Signature (leader) or seal (organisation) PNG.")
