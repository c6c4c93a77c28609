class DocumentError(Exception):
    """A document that cannot be produced for this dossier (e.g. an apology slip for a dossier
    that has no apology): a stable `code` for programs, a translated `message` for people."""

    def __init__(self, code: str, message: str, *, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.status = status
