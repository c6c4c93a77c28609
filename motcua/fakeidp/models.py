from django.db import models


class SigningKey(models.Model):
    """The fake provider's RSA key, made at first use. Development and tests only: a real
    provider's keys never live in motcua."""

    kid = models.CharField(max_length=64, unique=True)
    private_pem = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.kid
