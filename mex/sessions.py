"""Django's cached_db sessions, ending the session's pages kept in memory.

``mex.pagecache`` keeps a signed-in session's page in each process's memory
and serves it while the data version is unchanged, so every change to a
session (signing in or out, a new password, an organization switch) must
set a new version. This store sets it once the change has reached Redis
too: set when the database row changes, a request of the same session in
another worker could render in between from the old copy in Redis (still
signed in, or in the old organization) and keep its page under the new
version. Deleting sets one even when no row is found, as for a session
that only Redis still has.
"""

from django.contrib.sessions.backends import cached_db

from mex.dataversion import new_data_version


class SessionStore(cached_db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        super().save(must_create)
        new_data_version()

    def delete(self, session_key: str | None = None) -> None:
        super().delete(session_key)
        new_data_version()
