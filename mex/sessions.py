"""Django's cached_db sessions, ending the session's pages kept in memory.

``mex.pagecache`` keeps a signed-in session's page in each process's memory
and serves it while the data version is unchanged. Writing the session's
row sets a new version, but before the session's copy in Redis changes. A
request of the same session that renders in between reads the old copy
(still signed in, or still in the old organization) and keeps its page
under the new version. So this store sets another version once the copy in
Redis has changed, which ends such a page. It also ends the session's pages
when deleting it finds no row, as for a session that only Redis still has.
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
