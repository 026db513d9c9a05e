"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's backend (5.x and 6.1) builds a new ``redis.Redis`` object for every
cache call, and redis-py 7 fills a table of about 160 response callbacks in
each one: some 0.2 ms per call, more than the round trip to a local Redis.
A ``redis.Redis`` object is safe to share between threads, because it takes
a connection from its pool for each command, so one per pool is kept.

Each new connection also reads the server's run id, which Redis draws anew at
every start. ``mex.dataversion`` stores it in the data version, so that a
version that Redis reloads from its append-only file after a restart is not
trusted: writes made while Redis was down could not set a new one.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ResponseError

logger = logging.getLogger(__name__)


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        # Run id of the server this client's connections last reached, or ""
        # when unknown. Replicas have run ids of their own, so it is read only
        # when there is one server.
        self.server_run_id = ""
        if len(self._servers) == 1:
            self._pool_options.setdefault("redis_connect_func", self._connect)

    def _connect(self, connection) -> None:
        """Set up a new connection as redis-py does, then read the run id."""
        connection.on_connect()
        try:
            connection.send_command("INFO", "server")
            info = connection.read_response()
        except ResponseError as error:
            logger.warning(
                "Redis INFO failed: %s. Cached pages will not expire when Redis "
                "restarts.",
                error,
            )
            return
        self.server_run_id = _run_id_from_info(info)

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    def get_many_with_ttl(self, keys, ttl_key) -> tuple[dict, float | None]:
        """Return the values of ``keys`` and the seconds ``ttl_key`` has left.

        Both come in one round trip. The seconds are None when ``ttl_key`` is
        missing or never expires.
        """
        pipeline = self.get_client(None).pipeline(transaction=False)
        pipeline.mget(keys)
        pipeline.pttl(ttl_key)
        values, milliseconds = pipeline.execute()
        found = {
            key: self._serializer.loads(value)
            for key, value in zip(keys, values, strict=True)
            if value is not None
        }
        return found, (milliseconds / 1000 if milliseconds > 0 else None)


def _run_id_from_info(info: bytes | str) -> str:
    if isinstance(info, bytes):
        info = info.decode()
    for line in info.splitlines():
        name, _, value = line.partition(":")
        if name == "run_id":
            return value.strip()
    return ""


class SharedClientRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` reusing its clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    def validate_key(self, key):
        """Accept every key: Redis has no limit on key characters or length.

        Django's check warns about keys memcached would reject, with a Python
        loop over the characters of every key of every call.
        """

    def get_many_with_ttl(self, keys, ttl_key) -> tuple[dict, float | None]:
        """Return ``get_many(keys)`` and the seconds ``ttl_key`` has left.

        Both come in one round trip. The seconds are None when ``ttl_key`` is
        missing or never expires.
        """
        key_map = {self.make_and_validate_key(key): key for key in keys}
        found, seconds = self._cache.get_many_with_ttl(
            list(key_map), self.make_and_validate_key(ttl_key)
        )
        return {key_map[key]: value for key, value in found.items()}, seconds

    def server_run_id(self) -> str:
        """Return the run id of the Redis server last connected to, or ""."""
        return self._cache.server_run_id
