"""Tasks that only the test workers of tests/mex load (--include)."""

import logging
import os

from mex.ops.logs import current_request_id
from mex.tasks import mex_task

logger = logging.getLogger(__name__)


@mex_task(name="tests.worker.echo_request_id")
def echo_request_id() -> str:
    logger.info("Echo task running")
    return current_request_id()


@mex_task(name="tests.worker.exit_child")
def exit_child() -> None:
    """Kill the worker child that runs this task, as the OOM killer would."""
    os._exit(1)
