"""MEX's allauth adapter: where allauth's defaults need a stricter rule."""

import unicodedata

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress


def normalized_login(value: str) -> str:
    """Return a sign-in identifier folded so that case variants compare equal."""
    return unicodedata.normalize("NFKC", value).casefold().strip()


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # NOTE: overrides a private allauth 65 hook. allauth only lowercases
        # the email. Folding with NFKC and casefold also puts Unicode case and
        # compatibility variants of one address in one failed-login bucket.
        # The key is "<site domain>:<login>", and folding the domain too is
        # harmless.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return normalized_login(key)

    def send_password_reset_mail(self, user, email, context) -> None:
        """Send the reset link to the address on record, never the typed one.

        allauth finds the account by an exact, lowercased match. Sending to the
        stored address as well means that no look-alike spelling of an address
        receives another account's reset link.
        """
        stored = (
            EmailAddress.objects.filter(user=user, email__iexact=email)
            .values_list("email", flat=True)
            .first()
        )
        recipient = stored or user.email
        if normalized_login(recipient) != normalized_login(email):
            return
        super().send_password_reset_mail(user, recipient, context)
