"""What the file archive plugs into the platform at start-up."""

from kyso.core import audited

from .models import StoredFile

audited.register(StoredFile)
